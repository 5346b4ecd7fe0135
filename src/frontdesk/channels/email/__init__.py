"""Email: a mailbox as a channel (IMAP IDLE in, SMTP out, or mail forwarded by HTTP).

Its spec (`channels/email/spec.py`) is registered with the built-in providers; the mailbox
watchers (`channels/email/watcher.py`) run wherever jobs run.
"""

from __future__ import annotations

EMAIL = "email"
