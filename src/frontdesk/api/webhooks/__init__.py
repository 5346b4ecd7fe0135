"""Provider webhooks: authenticated by the provider's signature, never by a session."""
