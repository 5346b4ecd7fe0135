"""Outbound webhooks: subscriptions to the workspace's events, signed deliveries with a log
and replay, and Slack-compatible team chat notices on escalations
(docs/subsystems/outbound-webhooks.md).
"""
