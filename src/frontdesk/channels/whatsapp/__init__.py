"""WhatsApp Business Cloud API: several numbers per workspace, one channel per number.

The package's spec (`whatsapp/spec.py`) says what it can do and which adapters do it;
`channels.registry.install_channels` registers it.
"""
