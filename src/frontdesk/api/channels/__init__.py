"""Public APIs of channels that other systems call with a channel's own credentials."""
