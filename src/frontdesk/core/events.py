"""Typed domain events and their audiences.

The audience of an event is decided here, in core, because who may see a change is a security
decision. An audience is a tuple of keys; a live connection subscribes to the keys its user
may see:

- `ws:<id>`             every member of the workspace
- `ws:<id>:supervisors` owners, managers and viewers (they see every conversation)
- `ws:<id>:agents`      every member: conversations with no team are shared by the workspace
- `team:<id>`           members of a team
- `user:<id>`           one user
- `client:<team>:<channel>` client viewers scoped to that team and/or channel (`*`: any);
  given only for what a client viewer may see (never notes)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from frontdesk.core.workspaces.client_scope import ClientScope


def workspace_key(workspace_id: uuid.UUID) -> str:
    return f"ws:{workspace_id}"


def supervisors_key(workspace_id: uuid.UUID) -> str:
    return f"ws:{workspace_id}:supervisors"


def agents_key(workspace_id: uuid.UUID) -> str:
    return f"ws:{workspace_id}:agents"


def team_key(team_id: uuid.UUID) -> str:
    return f"team:{team_id}"


def user_key(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


CLIENT_KEY_PREFIX = "client:"


def client_key(team_id: uuid.UUID | None, channel_id: uuid.UUID | None) -> str:
    """Client viewers scoped to this team and channel (`*`: any) (core/workspaces/scope)."""
    return f"{CLIENT_KEY_PREFIX}{team_id or '*'}:{channel_id or '*'}"


def for_client_viewer(payload: dict[str, Any]) -> dict[str, Any]:
    """An event's data as a client viewer receives it: a conversation without the note of its
    outcome (an agent's own words, like an internal note)."""
    conversation = payload.get("conversation")
    if not isinstance(conversation, dict) or conversation.get("outcome_note") is None:
        return payload
    return {**payload, "conversation": {**conversation, "outcome_note": None}}


def client_keys(team_id: uuid.UUID | None, channel_id: uuid.UUID) -> tuple[str, ...]:
    """The client viewers of a conversation: by its team and channel, its team, its channel."""
    if team_id is None:
        return (client_key(None, channel_id),)
    return (
        client_key(team_id, channel_id),
        client_key(team_id, None),
        client_key(None, channel_id),
    )


def conversation_audience(
    workspace_id: uuid.UUID,
    team_id: uuid.UUID | None,
    assignee_ids: Iterable[uuid.UUID | None],
    *,
    channel_id: uuid.UUID | None = None,
) -> tuple[str, ...]:
    """Who sees a conversation: supervisors, its team (or every agent if none), its assignees,
    and, when `channel_id` is given, the client viewers whose scope holds it (never give it
    for what client viewers must not see, such as notes).

    `assignee_ids` takes the current and, on a change, the previous assignee, so the agent who
    lost a conversation learns that it left their list.
    """
    keys = [supervisors_key(workspace_id)]
    keys.append(team_key(team_id) if team_id else agents_key(workspace_id))
    keys.extend(user_key(uid) for uid in dict.fromkeys(assignee_ids) if uid is not None)
    if channel_id is not None:
        keys.extend(client_keys(team_id, channel_id))
    return tuple(keys)


@dataclass(frozen=True)
class DomainEvent:
    """A change, with the full updated entity in `data` so applying it twice is harmless."""

    workspace_id: uuid.UUID | None
    audience: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)

    type: ClassVar[str] = "event"

    def to_payload(self) -> dict[str, Any]:
        return self.data


def define_event(name: str, wire: str) -> type[DomainEvent]:
    """Declare an event class with its wire name (`noun.past_verb`)."""
    return type(name, (DomainEvent,), {"type": wire, "__doc__": f"`{wire}`"})


# The wire names are the contract with clients; the classes keep call sites typed and greppable.
ConversationCreated = define_event("ConversationCreated", "conversation.created")
ConversationUpdated = define_event("ConversationUpdated", "conversation.updated")
ConversationAssigned = define_event("ConversationAssigned", "conversation.assigned")
ConversationUnassigned = define_event("ConversationUnassigned", "conversation.unassigned")
ConversationTransferred = define_event("ConversationTransferred", "conversation.transferred")
ConversationStatusChanged = define_event("ConversationStatusChanged", "conversation.status_changed")
ConversationClosed = define_event("ConversationClosed", "conversation.closed")
ConversationTagged = define_event("ConversationTagged", "conversation.tags_changed")
# A span of a member's active work on a conversation (handle time), to their own devices only.
ConversationWorked = define_event("ConversationWorked", "conversation.worked")
# An agent's raised hand (asking the supervisors for help), and its being answered or lowered.
HelpRaised = define_event("HelpRaised", "conversation.help_raised")
HelpLowered = define_event("HelpLowered", "conversation.help_lowered")
MessageCreated = define_event("MessageCreated", "message.created")
MessageUpdated = define_event("MessageUpdated", "message.updated")
ContactCreated = define_event("ContactCreated", "contact.created")
ContactUpdated = define_event("ContactUpdated", "contact.updated")
ContactDeleted = define_event("ContactDeleted", "contact.deleted")
ContactMerged = define_event("ContactMerged", "contact.merged")
TeamChanged = define_event("TeamChanged", "team.changed")
MemberChanged = define_event("MemberChanged", "member.changed")
WorkspaceUpdated = define_event("WorkspaceUpdated", "workspace.updated")
ChannelChanged = define_event("ChannelChanged", "channel.changed")
TagChanged = define_event("TagChanged", "tag.changed")
UserSessionsRevoked = define_event("UserSessionsRevoked", "user.sessions_revoked")
# One session signed out, one API token revoked: their live sockets close at once.
SessionEnded = define_event("SessionEnded", "session.ended")
# Two-factor sign-in turned on or off, or its recovery codes changed: the user's own devices.
UserTwoFactorChanged = define_event("UserTwoFactorChanged", "user.two_factor_changed")
ApiTokenRevoked = define_event("ApiTokenRevoked", "api_token.revoked")
# What a website visitor's widget receives: customer-safe copies, never notes or internals.
VisitorMessageCreated = define_event("VisitorMessageCreated", "visitor.message_created")
VisitorMessageUpdated = define_event("VisitorMessageUpdated", "visitor.message_updated")
CannedResponseChanged = define_event("CannedResponseChanged", "canned_response.changed")
# A shared view goes to the workspace, a private one only to its owner (see core/views/actions).
SavedViewCreated = define_event("SavedViewCreated", "saved_view.created")
SavedViewUpdated = define_event("SavedViewUpdated", "saved_view.updated")
SavedViewDeleted = define_event("SavedViewDeleted", "saved_view.deleted")
# Only to the member who read: their other tabs and devices clear the unread marker.
ReadCursorMoved = define_event("ReadCursorMoved", "read_cursor.moved")
# Only to the recipient: a mention or an assignment kept for them, and their reading it.
NotificationCreated = define_event("NotificationCreated", "notification.created")
NotificationsRead = define_event("NotificationsRead", "notification.read")


def visitor_key(contact_id: uuid.UUID) -> str:
    """A website visitor (a contact on a webchat channel): customer-safe frames only."""
    return f"visitor:{contact_id}"


def subscription_keys(
    workspace_id: uuid.UUID,
    role: str,
    user_id: uuid.UUID | None,
    team_ids: Iterable[uuid.UUID],
    client_scope: ClientScope | None = None,
) -> frozenset[str]:
    """The audience keys a member's live connection listens to: exactly what they may see."""
    if client_scope is not None:
        return client_subscription_keys(user_id, client_scope)
    keys = {workspace_key(workspace_id), agents_key(workspace_id)}
    if role in ("owner", "manager", "viewer"):
        keys.add(supervisors_key(workspace_id))
    if user_id is not None:
        keys.add(user_key(user_id))
    keys.update(team_key(t) for t in team_ids)
    return frozenset(keys)


def client_subscription_keys(user_id: uuid.UUID | None, scope: ClientScope) -> frozenset[str]:
    """A client viewer hears only its own events and the conversations of its scope: not the
    workspace's (members, settings), not the supervisors' nor any team's (notes)."""
    keys = {user_key(user_id)} if user_id is not None else set()
    if scope.team_ids and scope.channel_ids:
        keys.update(client_key(t, c) for t in scope.team_ids for c in scope.channel_ids)
    else:
        keys.update(client_key(t, None) for t in scope.team_ids)
        keys.update(client_key(None, c) for c in scope.channel_ids)
    return frozenset(keys)


CustomFieldChanged = define_event("CustomFieldChanged", "custom_field.changed")
# Routing: agents' availability, queues and their settings.
AgentStateChanged = define_event("AgentStateChanged", "agent.state_changed")
ConversationQueued = define_event("ConversationQueued", "conversation.queued")
QueueUpdated = define_event("QueueUpdated", "queue.updated")
RoutingChanged = define_event("RoutingChanged", "routing.changed")
# The workspace's or a team's own hours (null when cleared), to every member of the workspace.
BusinessHoursUpdated = define_event("BusinessHoursUpdated", "business_hours.updated")
