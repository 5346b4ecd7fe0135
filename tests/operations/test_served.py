"""`frontdesk serve` as deployed: JSON log lines carrying the request id, uvicorn's access
lines included, and metrics kept in the shared directory that `/metrics` adds up."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx

from tests.cli.test_cli import FRONTDESK, _free_port, run, serving

TOKEN = "served-metrics-token-0123456789"


def test_serve_logs_json_with_request_ids_and_counts_in_the_metrics_directory(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    metrics_dir = tmp_path / "metrics"
    env = {
        **cli_env,
        "FRONTDESK_LOG_FORMAT": "json",
        "FRONTDESK_METRICS_TOKEN": TOKEN,
        "FRONTDESK_METRICS_DIR": str(metrics_dir),
    }
    assert run(["migrate"], env).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [*FRONTDESK, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        serving(server, port, within=90)  # a busy machine: the models load first
        probe = httpx.get(f"{base}/readyz", headers={"X-Request-Id": "probe-1"}, timeout=5)
        scrape = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert probe.headers["x-request-id"] == "probe-1"
    assert scrape.status_code == 200
    assert 'frontdesk_http_requests_total{method="GET",route="/readyz",status="200"} 1.0' in (
        scrape.text
    )
    assert list(metrics_dir.glob("counter_*.db")), "samples are kept in the metrics directory"
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    access = [r for r in lines if r.get("logger") == "uvicorn.access"]
    assert access, output
    assert all({"time", "level", "message"} <= set(r) for r in lines)
    readyz = [r for r in access if r.get("path") == "/readyz"]
    assert readyz, access
    assert readyz[0]["request_id"] == "probe-1"
    assert readyz[0]["status"] == 200
    started = [r for r in lines if "Application startup complete" in r["message"]]
    assert started, lines
    assert started[0]["request_id"] is None
