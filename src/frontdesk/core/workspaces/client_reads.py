"""What a client viewer's lists hold besides conversations: the contacts, teams and channels
of its client (see `client_scope.py`; conversations are narrowed in conversations/queries)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.workspaces.client_scope import ClientScope
from frontdesk.core.workspaces.models import Team


def and_scope(scope: ClientScope) -> ColumnElement[bool]:
    return scope.condition(Conversation.team_id, Conversation.channel_id)


def client_contacts(workspace_id: uuid.UUID, scope: ClientScope) -> ColumnElement[bool]:
    """Contacts with a conversation in the scope."""
    ids: Select[Any] = select(Conversation.contact_id).where(
        Conversation.workspace_id == workspace_id, and_scope(scope)
    )
    return Contact.id.in_(ids)


def client_teams(scope: ClientScope) -> ColumnElement[bool]:
    """The scope's teams, or (a scope of channels only) the teams of its channels."""
    if scope.team_ids:
        return Team.id.in_(scope.team_ids)
    return Team.id.in_(select(Channel.team_id).where(Channel.id.in_(scope.channel_ids)))


def client_channels(scope: ClientScope) -> ColumnElement[bool]:
    """The scope's channels, or (a scope of teams only) the channels of its teams."""
    if scope.channel_ids:
        return Channel.id.in_(scope.channel_ids)
    return Channel.team_id.in_(scope.team_ids)
