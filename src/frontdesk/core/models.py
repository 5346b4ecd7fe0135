"""Every mapped class of the domain, imported so the metadata is complete."""

from frontdesk.core.accounts.models import ApiToken, AuthSession, Invitation, LoginAttempt, User
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import (
    Contact,
    ContactFieldValue,
    ContactIdentity,
    CustomFieldDefinition,
)
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from frontdesk.core.workspaces.models import Membership, Organisation, Team, TeamMember, Workspace
from frontdesk.db.base import Base
from frontdesk.db.outbox import EventLogEntry, Job

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditLogEntry",
    "AuthSession",
    "CannedResponse",
    "Channel",
    "Contact",
    "ContactFieldValue",
    "ContactIdentity",
    "ContactTag",
    "Conversation",
    "ConversationTag",
    "CustomFieldDefinition",
    "EventLogEntry",
    "Invitation",
    "Job",
    "LoginAttempt",
    "Membership",
    "Message",
    "Organisation",
    "Tag",
    "Team",
    "TeamMember",
    "User",
    "Workspace",
    "metadata",
]
