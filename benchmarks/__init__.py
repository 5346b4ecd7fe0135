"""Performance benchmarks: real server processes, load generated over loopback.

`python -m benchmarks` runs every script in turn; each one also runs on its own
(`python -m benchmarks.<name> [--quick] [--db sqlite|postgresql]`). See
`/docs/subsystems/realtime.md` for what the realtime figures mean.
"""
