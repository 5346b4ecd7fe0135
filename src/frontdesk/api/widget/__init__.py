"""The website visitor's API: public, authenticated by the visitor token, rate-limited."""
