"""The public address of a webhook-triggered workflow: a signed JSON call starts a run.

No session: the token in the path finds the workflow (404 if none) and the signature over the
timestamp and raw body, checked before the body is parsed, is the credential (401). Calls are
limited per address (429 with Retry-After), so a noisy caller cannot flood the run table.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request

from frontdesk.api.deps import ReaderDep, RuntimeDep, UowDep
from frontdesk.api.limits import SlidingWindow
from frontdesk.api.openapi_errors import error_responses
from frontdesk.api.webhooks.whatsapp import read_body
from frontdesk.core.errors import Invalid
from frontdesk.core.text import unstorable_at
from frontdesk.core.workflows.schemas import WebhookAccepted
from frontdesk.core.workflows.triggers import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    check_webhook_signature,
    receive_webhook,
    webhook_secret,
    webhook_workflow,
)

router = APIRouter()

MAX_BODY = 256 * 1024
MAX_DEPTH = 32
# Per address: a minute's calls before 429.
CALLS = SlidingWindow(limit=120, seconds=60)


def _depth(value: Any) -> int:
    """How deep objects and arrays nest in a parsed JSON value (iteratively: no recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            todo.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def _parse(body: bytes) -> Any:
    try:
        payload = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Invalid("the body is not UTF-8 JSON", field="body") from None
    if _depth(payload) > MAX_DEPTH:
        raise Invalid(f"the body nests deeper than {MAX_DEPTH} levels", field="body")
    if unstorable_at(payload) is not None:
        raise Invalid("the body holds NUL characters or lone surrogates", field="body")
    return payload


@router.post(
    "/{token}",
    status_code=202,
    responses=error_responses(401, 404, 409, 413, 429),
)
async def receive_workflow_webhook(
    token: str, request: Request, runtime: RuntimeDep, db: ReaderDep, uow: UowDep
) -> WebhookAccepted:
    """Start a run: the JSON body is the run's `trigger.body`; a `contact` object with a
    `phone` or `email` attaches the run to that contact. Sign with `X-Frontdesk-Timestamp`
    (Unix seconds) and `X-Frontdesk-Signature: sha256=<hex HMAC-SHA256 of
    "<timestamp>.<body>">` under the workflow's secret."""
    CALLS.hit(token[:64], "calls to this webhook")
    body = await read_body(request, MAX_BODY)
    workflow = await webhook_workflow(db, token)
    await db.close()
    now = runtime.clock.now()
    check_webhook_signature(
        webhook_secret(runtime.secrets, workflow),
        body,
        request.headers.get(SIGNATURE_HEADER),
        request.headers.get(TIMESTAMP_HEADER),
        now,
    )
    payload = _parse(body)
    call = await receive_webhook(uow, workflow.id, payload, now)
    await uow.commit()
    return WebhookAccepted(run_id=call.run_id, contact_id=call.contact_id)
