"""The domain: actions, queries, access checks and events. No web framework here."""
