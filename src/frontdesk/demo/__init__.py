"""The demo organisation loaded by `frontdesk demo` and `make run`."""

from frontdesk.demo.loader import AGENT_EMAIL, DemoResult, build_setup, load_demo
from frontdesk.demo.spec import DEMO_PASSWORD, DEMO_SLUG, LOGISTICS_SLUG, OWNER_EMAIL

__all__ = [
    "AGENT_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_SLUG",
    "LOGISTICS_SLUG",
    "OWNER_EMAIL",
    "DemoResult",
    "build_setup",
    "load_demo",
]
