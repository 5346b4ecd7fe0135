"""Mounts every v1 router under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from frontdesk.api.v1 import (
    api_channel,
    attachments,
    audit,
    auth,
    broadcasts,
    business_hours,
    canned_responses,
    channels,
    contact_data,
    contact_imports,
    contact_merges,
    contacts,
    conversations,
    csat,
    custom_fields,
    email,
    instagram,
    me,
    members,
    messages,
    messenger,
    notifications,
    organisation,
    quality,
    reports,
    reports_breakdowns,
    reports_csat,
    reports_exports,
    reports_outcomes,
    routing,
    search,
    similar,
    sla,
    supervision,
    tags,
    team_leads,
    teams,
    telegram,
    tokens,
    twilio,
    two_factor,
    views,
    wallboard,
    webhook_subscriptions,
    whatsapp,
    workflow_hooks,
    workflow_routes,
    workflow_runs,
    workflows,
    workspaces,
)

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth.router, prefix="/auth", tags=["auth"])
api_router.include_router(me.router, prefix="/me", tags=["me"])
api_router.include_router(two_factor.router, prefix="/me/two-factor", tags=["two-factor"])
api_router.include_router(
    two_factor.workspace_router, prefix="/workspaces/current/two-factor", tags=["two-factor"]
)
api_router.include_router(workspaces.router, prefix="/workspaces", tags=["workspaces"])
api_router.include_router(members.router, tags=["members"])
api_router.include_router(tokens.router, prefix="/api-tokens", tags=["api tokens"])
api_router.include_router(teams.router, prefix="/teams", tags=["teams"])
api_router.include_router(channels.router, prefix="/channels", tags=["channels"])
api_router.include_router(whatsapp.router, prefix="/channels", tags=["channels"])
api_router.include_router(telegram.router, prefix="/channels", tags=["channels"])
api_router.include_router(twilio.router, prefix="/channels", tags=["channels"])
api_router.include_router(email.router, prefix="/channels", tags=["channels"])
api_router.include_router(messenger.router, prefix="/channels", tags=["channels"])
api_router.include_router(instagram.router, prefix="/channels", tags=["channels"])
api_router.include_router(api_channel.router, prefix="/channels", tags=["channels"])
api_router.include_router(
    contact_imports.router, prefix="/contact-imports", tags=["contact imports"]
)
api_router.include_router(contact_merges.router, prefix="/contact-merges", tags=["contacts"])
# Before the contacts' own routes: /contacts/export is not /contacts/{contact_id}.
api_router.include_router(contact_data.router, prefix="/contacts", tags=["contacts"])
api_router.include_router(contacts.router, prefix="/contacts", tags=["contacts"])
api_router.include_router(conversations.router, prefix="/conversations", tags=["conversations"])
api_router.include_router(messages.router, prefix="/conversations", tags=["messages"])
api_router.include_router(tags.router, prefix="/tags", tags=["tags"])
api_router.include_router(
    canned_responses.router, prefix="/canned-responses", tags=["canned responses"]
)
api_router.include_router(custom_fields.router, prefix="/custom-fields", tags=["custom fields"])
api_router.include_router(audit.router, prefix="/audit-log", tags=["audit log"])
api_router.include_router(attachments.router, prefix="/attachments", tags=["attachments"])
api_router.include_router(views.router, prefix="/views", tags=["saved views"])
api_router.include_router(notifications.router, prefix="/notifications", tags=["notifications"])
api_router.include_router(business_hours.router, tags=["business hours"])
api_router.include_router(sla.router, prefix="/sla-policies", tags=["sla"])
api_router.include_router(search.router, prefix="/search", tags=["search"])
api_router.include_router(similar.router)
api_router.include_router(broadcasts.router, prefix="/broadcasts", tags=["broadcasts"])
api_router.include_router(routing.router)
api_router.include_router(reports_exports.router, prefix="/reports/exports", tags=["reports"])
api_router.include_router(reports.router, prefix="/reports", tags=["reports"])
api_router.include_router(reports_breakdowns.router, prefix="/reports", tags=["reports"])
api_router.include_router(reports_csat.router, prefix="/reports", tags=["reports"])
api_router.include_router(csat.router)
api_router.include_router(reports_outcomes.router, prefix="/reports", tags=["reports"])
api_router.include_router(quality.reports_router, prefix="/reports", tags=["reports"])
api_router.include_router(organisation.router, prefix="/organisation", tags=["organisation"])
api_router.include_router(wallboard.router, prefix="/wallboard", tags=["wallboard"])
api_router.include_router(supervision.router, prefix="/conversations", tags=["supervision"])
api_router.include_router(supervision.rights_router, prefix="/supervision", tags=["supervision"])
api_router.include_router(team_leads.router, prefix="/teams", tags=["teams"])
api_router.include_router(quality.router, prefix="/quality", tags=["quality"])
api_router.include_router(workflows.router, prefix="/workflows", tags=["workflows"])
api_router.include_router(workflow_runs.router, prefix="/workflow-runs", tags=["workflows"])
api_router.include_router(
    workflow_runs.conversations_router, prefix="/conversations", tags=["workflows"]
)
api_router.include_router(workflow_hooks.router, prefix="/hooks/workflows", tags=["workflows"])
api_router.include_router(
    workflow_routes.templates_router, prefix="/workflow-templates", tags=["workflows"]
)
api_router.include_router(workflow_routes.router, prefix="/workflows", tags=["workflows"])
api_router.include_router(
    workflow_routes.conversations_router, prefix="/conversations", tags=["workflows"]
)
api_router.include_router(
    webhook_subscriptions.router, prefix="/webhook-subscriptions", tags=["webhooks"]
)
api_router.include_router(
    webhook_subscriptions.team_chat_router, prefix="/team-chat-hooks", tags=["webhooks"]
)
