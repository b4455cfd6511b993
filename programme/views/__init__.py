"""Blueprints, one per area. Thin: parse, call a service, render."""
