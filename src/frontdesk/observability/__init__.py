"""What an operator watches: Prometheus metrics and structured logs with request ids.

Core never imports this package: what core does is counted from the outside (the events a
commit publishes, the HTTP exchanges, the job table).
"""
