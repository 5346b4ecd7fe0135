"""Every frame the sockets send, as one Pydantic model per kind: the schema is the contract.

`Frame` is a union discriminated on `type`: event frames from the log (`{id, type, at, data}`,
one model per event's wire name, its `data` typed by the read model the action emits), control
frames (`hello`, `ready`, `resync`, `ping`, `pong`, `error`) and ephemeral signals (`typing`,
`viewing`, `presence`, `organisation.load_changed`: `{type, data}`, no id). `frames.py`
serialises through these models; `install_frame_schema` adds them to the OpenAPI components, so
the app's TypeScript types for frames are generated with the REST client's (`make api-types`).

A new event: add its wire name to `EVENT_DATA` with the model of its `data` (`Payload` when it
is not typed yet); `tests/realtime/test_frames.py` fails for an event without a frame model.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, Union, get_args

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model
from pydantic.json_schema import models_json_schema

from frontdesk.core.broadcasts.schemas import BroadcastChangedData
from frontdesk.core.contacts.imports_schemas import ContactImportRead
from frontdesk.core.contacts.schemas import ContactRead
from frontdesk.core.conversations.schemas import ConversationRead, MessageRead
from frontdesk.core.csat.schemas import CsatResponseRead
from frontdesk.core.notifications.schemas import NotificationRead
from frontdesk.core.quality.schemas import ReviewSummary, SampleRead, ScorecardRead
from frontdesk.core.read_cursors.schemas import ReadCursorRead
from frontdesk.core.reports.exports.schemas import ExportRead
from frontdesk.core.routing.schemas import AgentStatusRead
from frontdesk.core.sla.read_schemas import ConversationSlaRead, SlaTargetName
from frontdesk.core.sla.schemas import SlaPolicyRead
from frontdesk.core.views.schemas import SavedViewRead
from frontdesk.core.workflows.routes import RouteOfferRead

Payload = dict[str, Any]


class ConversationEventData(BaseModel):
    """`conversation.*`: the whole conversation as it is now, and what changed."""

    conversation: ConversationRead
    change: dict[str, Any] = Field(description="What changed (depends on the event)")


class MessageEventData(BaseModel):
    """`message.*`: the whole message; `message.created` carries its conversation too."""

    message: MessageRead
    conversation: ConversationRead | None = None


class RouteOfferData(BaseModel):
    """`workflow_route.*` (offered, handled, redirected): the chat route as it is now."""

    route_offer: RouteOfferRead


class NotificationCreatedData(BaseModel):
    notification: NotificationRead


class NotificationsReadData(BaseModel):
    """Some notifications read (`notification_ids`), or all of them (`all`, `marked`)."""

    notification_ids: list[str] | None = None
    all: bool | None = None
    marked: int | None = None


class ReadCursorData(BaseModel):
    read_cursor: ReadCursorRead


class ContactMergedData(ContactRead):
    merged_contact_id: str


class AgentStateData(BaseModel):
    agent: AgentStatusRead
    change: dict[str, Any]


class RaisedHand(BaseModel):
    id: str
    raised_by_id: str | None
    note: str | None
    raised_at: datetime
    resolved_at: datetime | None
    resolved_by_id: str | None


class HelpData(BaseModel):
    """`conversation.help_raised` / `_lowered`: an agent's hand and the conversation's id."""

    conversation_id: str
    help: RaisedHand


class SavedViewData(BaseModel):
    saved_view: SavedViewRead


class SavedViewDeletedData(BaseModel):
    saved_view_id: str
    reason: Literal["deleted", "unshared"]


class CsatData(BaseModel):
    csat: CsatResponseRead


class QualityReviewData(BaseModel):
    """`quality_review.*` (assigned, submitted, replied): the review as it is now."""

    review: ReviewSummary


class QualitySampleData(BaseModel):
    sample: SampleRead


class QualityScorecardData(BaseModel):
    scorecard: ScorecardRead


class SlaUpdatedData(BaseModel):
    """`conversation.sla_updated`: a conversation's SLA (due times, status) as it is now."""

    conversation_id: str
    sla: ConversationSlaRead


class SlaOutcomeData(BaseModel):
    """`conversation.sla_at_risk` / `_breached` / `_met`: one target of one due time."""

    conversation_id: str
    target: SlaTargetName
    due_at: datetime
    at: datetime = Field(description="When it became at risk, fell due, or was met.")
    segment: int
    team_id: str | None
    assignee_id: str | None
    channel_id: str | None
    policy_id: str | None


class SlaPolicyChangedData(BaseModel):
    sla_policy: SlaPolicyRead
    change: Literal["created", "updated", "deleted"]


class ReportExportDeletedData(BaseModel):
    id: str


class RoutingChangedData(BaseModel):
    """A team's routing settings (`team_id`, `settings`) or the workspace's (`workspace`)."""

    team_id: str | None = None
    settings: dict[str, Any] | None = None
    workspace: dict[str, Any] | None = None


_CONVERSATION_EVENTS = (
    "conversation.created",
    "conversation.updated",
    "conversation.assigned",
    "conversation.unassigned",
    "conversation.transferred",
    "conversation.status_changed",
    "conversation.closed",
    "conversation.tags_changed",
    "conversation.worked",
    "conversation.queued",
    "conversation.bot_started",
    "conversation.handed_over",
)
_UNTYPED_EVENTS = (
    "team.changed",
    "member.changed",
    "workspace.updated",
    "workspace.created",
    "channel.changed",
    "tag.changed",
    "user.sessions_revoked",
    "session.ended",
    "user.two_factor_changed",
    "api_token.revoked",
    "visitor.message_created",
    "visitor.message_updated",
    "workflow.changed",
    "workflow.run_started",
    "workflow.run_step",
    "workflow.run_waiting",
    "workflow.run_completed",
    "workflow.run_failed",
    "workflow.run_cancelled",
    "canned_response.changed",
    "custom_field.changed",
    "similarity.settings_changed",
    "similarity.embeddings_computed",
    "queue.updated",
    "business_hours.updated",
    "csat.settings_changed",
    "reports.updated",
    "outcome_target.changed",
    "quality.settings_changed",
    "webhook_subscription.changed",
    "webhook_delivery.updated",
    "team_chat_hook.changed",
)

# Each event's wire name and the model of its `data`.
EVENT_DATA: dict[str, Any] = {
    **dict.fromkeys(_CONVERSATION_EVENTS, ConversationEventData),
    "conversation.help_raised": HelpData,
    "conversation.help_lowered": HelpData,
    "message.created": MessageEventData,
    "message.updated": MessageEventData,
    "contact.created": ContactRead,
    "contact.updated": ContactRead,
    "contact.deleted": ContactRead,
    "contact.merged": ContactMergedData,
    "contact_import.updated": ContactImportRead,
    "contact.imported": Payload,
    "contact.merge_undone": Payload,
    "saved_view.created": SavedViewData,
    "saved_view.updated": SavedViewData,
    "saved_view.deleted": SavedViewDeletedData,
    "read_cursor.moved": ReadCursorData,
    "notification.created": NotificationCreatedData,
    "notification.read": NotificationsReadData,
    "agent.state_changed": AgentStateData,
    "routing.changed": RoutingChangedData,
    "csat.sent": CsatData,
    "csat.answered": CsatData,
    "report_export.updated": ExportRead,
    "report_export.deleted": ReportExportDeletedData,
    "quality_review.sampled": QualitySampleData,
    "quality_review.assigned": QualityReviewData,
    "quality_review.submitted": QualityReviewData,
    "quality_review.replied": QualityReviewData,
    "quality_scorecard.changed": QualityScorecardData,
    "conversation.sla_updated": SlaUpdatedData,
    "conversation.sla_at_risk": SlaOutcomeData,
    "conversation.sla_breached": SlaOutcomeData,
    "conversation.sla_met": SlaOutcomeData,
    "sla_policy.changed": SlaPolicyChangedData,
    "broadcast.changed": BroadcastChangedData,
    **dict.fromkeys(
        ("workflow_route.offered", "workflow_route.handled", "workflow_route.redirected"),
        RouteOfferData,
    ),
    **dict.fromkeys(_UNTYPED_EVENTS, Payload),
}


def _model_name(wire: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[._]", wire)) + "Frame"


def _event_model(wire: str, data: Any) -> type[BaseModel]:
    tag: Any = Literal[wire]
    return create_model(
        _model_name(wire),
        __doc__=f"The `{wire}` event.",
        type=(tag, ...),
        id=(int, Field(description="The event's id: the cursor to resume from")),
        at=(datetime, ...),
        data=(data, ...),
    )


EVENT_FRAMES: dict[str, type[BaseModel]] = {w: _event_model(w, d) for w, d in EVENT_DATA.items()}


class _Control(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HelloFrame(_Control):
    """First frame of every socket: the newest event id, and who the socket is."""

    type: Literal["hello"]
    cursor: int
    workspace_id: str | None = None
    user_id: str | None = None
    role: str | None = None
    contact_id: str | None = Field(default=None, description="On a visitor's socket")


class ReadyFrame(_Control):
    """The replay after the client's cursor is over: live from here."""

    type: Literal["ready"]
    cursor: int


class ResyncFrame(_Control):
    """The client's cursor is out of the log's range: reload over REST, resume at `cursor`."""

    type: Literal["resync"]
    cursor: int


class PingFrame(_Control):
    type: Literal["ping"]


class PongFrame(_Control):
    type: Literal["pong"]


class ErrorFrame(_Control):
    type: Literal["error"]
    message: str


class TypingData(BaseModel):
    conversation_id: str
    user_id: str | None = None
    visitor: bool | None = Field(default=None, description="The website visitor is typing")
    active: bool


class TypingFrame(_Control):
    type: Literal["typing"]
    data: TypingData


class ViewingData(BaseModel):
    conversation_id: str
    user_id: str | None
    active: bool


class ViewingFrame(_Control):
    type: Literal["viewing"]
    data: ViewingData


class PresenceData(BaseModel):
    user_id: str
    online: bool


class PresenceFrame(_Control):
    type: Literal["presence"]
    data: PresenceData


class LoadChangedData(BaseModel):
    workspace_id: str


class OrganisationLoadChangedFrame(_Control):
    """To organisation admins: a workspace's load changed (fetch the overview again)."""

    type: Literal["organisation.load_changed"]
    data: LoadChangedData


CONTROL_FRAMES: dict[str, type[_Control]] = {
    "hello": HelloFrame,
    "ready": ReadyFrame,
    "resync": ResyncFrame,
    "ping": PingFrame,
    "pong": PongFrame,
    "error": ErrorFrame,
}
SIGNAL_FRAMES: dict[str, type[_Control]] = {
    "typing": TypingFrame,
    "viewing": ViewingFrame,
    "presence": PresenceFrame,
    "organisation.load_changed": OrganisationLoadChangedFrame,
}
ALL_FRAMES: list[type[BaseModel]] = [
    *EVENT_FRAMES.values(),
    *CONTROL_FRAMES.values(),
    *SIGNAL_FRAMES.values(),
]

_FrameUnion: Any = Union.__getitem__(tuple(ALL_FRAMES))
Frame: Any = Annotated[_FrameUnion, Field(discriminator="type")]
FRAME_ADAPTER: TypeAdapter[Any] = TypeAdapter(Frame)
REF = "#/components/schemas/{model}"


def frame_schemas() -> dict[str, Any]:
    """The frame models' JSON Schemas, for the OpenAPI components (`Frame`: the union)."""
    _, top = models_json_schema([(m, "validation") for m in ALL_FRAMES], ref_template=REF)
    schemas: dict[str, Any] = dict(top.get("$defs", {}))
    for body in schemas.values():
        # A field with a default may be absent from the wire (`exclude_unset`): optional in the
        # generated types, which read a default as "always there".
        for field in body.get("properties", {}).values():
            field.pop("default", None)
    names = {m.__name__: REF.format(model=m.__name__) for m in ALL_FRAMES}
    schemas["Frame"] = {
        "description": "Any frame a socket sends, told apart by `type`.",
        "oneOf": [{"$ref": ref} for ref in names.values()],
        "discriminator": {
            "propertyName": "type",
            "mapping": {_wire(m): REF.format(model=m.__name__) for m in ALL_FRAMES},
        },
    }
    return schemas


def _wire(model: type[BaseModel]) -> str:
    annotation = model.model_fields["type"].annotation
    return str(get_args(annotation)[0])


def install_frame_schema(app: FastAPI) -> None:
    """Make `app.openapi()` carry the frame models in its components (after the API's own)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "Frame" not in components:
            for name, body in frame_schemas().items():
                components.setdefault(name, body)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
