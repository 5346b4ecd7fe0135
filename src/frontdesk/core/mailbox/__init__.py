"""Mailbox channels' own records: where a mailbox was read up to, and each mail as received."""
