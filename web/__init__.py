"""The web app: litestar controllers, templates and static files."""
