"""Frontdesk: a self-hosted omnichannel conversation platform for contact centres."""

__version__ = "0.1.0"
