"""Supervision: the live wallboard (and, later, SLA, monitoring and quality checks)."""
