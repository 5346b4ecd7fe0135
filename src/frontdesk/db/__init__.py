"""Persistence plumbing: engines, sessions, the unit of work, the event log and job table."""
