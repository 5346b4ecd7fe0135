"""Instagram Messaging: one channel per Instagram professional account.

Instagram's direct messages use Messenger's event shapes, Send API and signature, so the
adapter is `channels.messenger` with the Instagram flavour (`object: "instagram"`, routed by the
account id, IGSID senders, `read.mid` seen events, unsent messages deleted). Its spec is
`messenger/spec.py`'s `INSTAGRAM_SPEC`, registered by `channels.registry.install_channels`.
"""
