"""Live delivery: the WebSocket endpoint, connection registry, audiences, brokers, resume."""
