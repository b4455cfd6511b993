"""Recruitment: the role taxonomy, establishments, posts, and the pages that count them.

Callers import the module for their use case: roles, posts, establishments, overview, csv.
"""
