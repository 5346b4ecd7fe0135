"""The organisation overview: every workspace of an organisation, its live load and today."""
