"""One package per provider: signatures, payloads, inbound and outbound adapters."""
