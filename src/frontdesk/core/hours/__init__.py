"""Business hours: weekly opening periods in a time zone, with holidays, per workspace or team."""
