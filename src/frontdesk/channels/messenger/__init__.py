"""Facebook Messenger: one channel per Facebook Page, replies through the Send API.

The package's spec (`messenger/spec.py`, which also holds Instagram's) says what it can do and
which adapters do it; `channels.registry.install_channels` registers it.
"""
