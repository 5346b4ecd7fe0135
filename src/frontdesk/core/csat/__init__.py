"""Customer satisfaction: a 1-5 question sent when a member closes a conversation, and the
customer's answer, stored once per close and reported as the share of 4-5."""
