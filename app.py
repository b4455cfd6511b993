"""The one entry point for `flask --app app ...` and for gunicorn (`gunicorn app:app`)."""

from programme import create_app

app = create_app()
