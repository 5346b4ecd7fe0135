"""Serves the built agent app and widget, and a few server-rendered public pages."""
