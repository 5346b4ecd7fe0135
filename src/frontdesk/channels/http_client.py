"""The HTTP clients the app opens towards providers, integrators and workflow targets.

Each call opens a client of its own (calls are short and go to many hosts), but every client
of the process shares one TLS context: building a context loads the whole CA bundle, 20-50 ms
of CPU, more than the rest of a send. A context is safe to share between clients, tasks and
threads; it holds no connection.
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def shared_tls() -> ssl.SSLContext:
    """The process's TLS context: certificate checks against the CA bundle, built once."""
    return httpx.create_ssl_context()


def http_client(
    *,
    timeout: float | httpx.Timeout,
    follow_redirects: bool = False,
    base_url: str = "",
) -> httpx.AsyncClient:
    """A client that checks certificates with the shared context."""
    return httpx.AsyncClient(
        timeout=timeout, follow_redirects=follow_redirects, base_url=base_url, verify=shared_tls()
    )
