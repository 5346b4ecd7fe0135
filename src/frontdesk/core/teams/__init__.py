"""Teams: groups of members that share a queue of conversations and channels."""
