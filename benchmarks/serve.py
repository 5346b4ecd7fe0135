"""`python -m benchmarks.serve --port P`: exactly `frontdesk serve` on a loopback port.

One worker, the same uvicorn options and logging. The widget's rate limits are raised through
their settings (`FRONTDESK_WIDGET_*`, set by `benchmarks.common.server_env`), not in-process.
"""

from __future__ import annotations

import argparse

from frontdesk.cli import serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve(host="127.0.0.1", port=args.port, workers=1)


if __name__ == "__main__":
    main()
