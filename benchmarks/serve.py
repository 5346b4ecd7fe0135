"""`python -m benchmarks.serve --port P`: `frontdesk serve` with the widget rate limits raised.

The widget's in-process limits (20 messages per 10 s per visitor, 30 new sessions per minute
per IP) protect a public endpoint from one browser. A load generator is one loopback IP and a
handful of visitors, so this launcher raises them in the server process before the app is
built, then runs exactly `frontdesk serve` (one worker, same uvicorn options, same logging).
"""

from __future__ import annotations

import argparse

from frontdesk.api.widget import routes
from frontdesk.cli import serve

RAISED_LIMIT = 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    for name in ("sessions_per_ip", "messages_per_visitor", "reads_per_visitor"):
        routes.LIMITS[name] = (RAISED_LIMIT, routes.LIMITS[name][1])
    serve(host="127.0.0.1", port=args.port, workers=1)


if __name__ == "__main__":
    main()
