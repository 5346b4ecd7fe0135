"""Every mapped class of the domain, imported so the metadata is complete."""

from frontdesk.core.accounts.models import ApiToken, AuthSession, Invitation, LoginAttempt, User
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.broadcasts.models import Broadcast, BroadcastRecipient
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.channels.api_callbacks import ApiCallback
from frontdesk.core.channels.models import Channel, QuarantinedPayload
from frontdesk.core.contacts.imports_models import ContactImport, ContactMergeRecord
from frontdesk.core.contacts.models import (
    Contact,
    ContactFieldValue,
    ContactIdentity,
    CustomFieldDefinition,
)
from frontdesk.core.conversations.models import Conversation, DeliveryReceipt, Message
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.mailbox.models import MailboxCursor, RawMail
from frontdesk.core.notifications.models import Notification
from frontdesk.core.quality.models import (
    QualityReview,
    QualityReviewAnswer,
    QualityReviewComment,
    QualityReviewSample,
    QualityScorecard,
    QualityScorecardCategory,
    QualityScorecardItem,
)
from frontdesk.core.read_cursors.models import ReadCursor
from frontdesk.core.reports.daily_models import ReportDailyRollup
from frontdesk.core.reports.exports.models import ReportExport
from frontdesk.core.reports.models import (
    ReportConversation,
    ReportCursor,
    ReportFact,
    ReportRollup,
)
from frontdesk.core.reports.target_models import OutcomeTarget
from frontdesk.core.routing.models import AgentStateChange, AgentStatus, Assignment, TeamRouting
from frontdesk.core.search.models import SearchDocument
from frontdesk.core.similarity.models import CannedResponseEmbedding, ConversationEmbedding
from frontdesk.core.sla.models import ConversationSla, SlaCursor, SlaPolicy
from frontdesk.core.supervision.models import HelpRequest
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from frontdesk.core.templates.models import MessageTemplate
from frontdesk.core.views.models import SavedView
from frontdesk.core.webhooks.models import TeamChatHook, WebhookDelivery, WebhookSubscription
from frontdesk.core.workflows.models import (
    RouteOffer,
    Workflow,
    WorkflowCursor,
    WorkflowRun,
    WorkflowStepRun,
    WorkflowVersion,
)
from frontdesk.core.workspaces.models import Membership, Organisation, Team, TeamMember, Workspace
from frontdesk.db.base import Base
from frontdesk.db.outbox import EventLogEntry, Job

metadata = Base.metadata

__all__ = [
    "AgentStateChange",
    "AgentStatus",
    "ApiCallback",
    "ApiToken",
    "Assignment",
    "Attachment",
    "AuditLogEntry",
    "AuthSession",
    "Broadcast",
    "BroadcastRecipient",
    "BusinessHours",
    "CannedResponse",
    "CannedResponseEmbedding",
    "Channel",
    "Contact",
    "ContactFieldValue",
    "ContactIdentity",
    "ContactImport",
    "ContactMergeRecord",
    "ContactTag",
    "Conversation",
    "ConversationEmbedding",
    "ConversationSla",
    "ConversationTag",
    "CsatResponse",
    "CustomFieldDefinition",
    "DeliveryReceipt",
    "EventLogEntry",
    "HelpRequest",
    "Invitation",
    "Job",
    "LoginAttempt",
    "MailboxCursor",
    "Membership",
    "Message",
    "MessageTemplate",
    "Notification",
    "Organisation",
    "OutcomeTarget",
    "QualityReview",
    "QualityReviewAnswer",
    "QualityReviewComment",
    "QualityReviewSample",
    "QualityScorecard",
    "QualityScorecardCategory",
    "QualityScorecardItem",
    "QuarantinedPayload",
    "RawMail",
    "ReadCursor",
    "ReportConversation",
    "ReportCursor",
    "ReportDailyRollup",
    "ReportExport",
    "ReportFact",
    "ReportRollup",
    "RouteOffer",
    "SavedView",
    "SearchDocument",
    "SlaCursor",
    "SlaPolicy",
    "Tag",
    "Team",
    "TeamChatHook",
    "TeamMember",
    "TeamRouting",
    "User",
    "WebhookDelivery",
    "WebhookSubscription",
    "Workflow",
    "WorkflowCursor",
    "WorkflowRun",
    "WorkflowStepRun",
    "WorkflowVersion",
    "Workspace",
    "metadata",
]
