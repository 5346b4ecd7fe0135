"""The demo organisation loaded by `frontdesk demo` and `make run`."""

from frontdesk.demo.loader import DemoResult, load_demo

__all__ = ["DemoResult", "load_demo"]
