"""Recruitment: the role taxonomy, establishments, posts, and the pages that count them.

Callers import the module for their use case: roles, posts, establishments, overview, csv.
"""

# services/training.py (being split elsewhere) still calls `recruitment.get_role`; this one name
# stays until it imports `recruitment.roles` itself.
from programme.services.recruitment.roles import get_role  # noqa: F401
