// The one place where frames from the socket change what the app shows: each kind of frame
// patches (setQueryData) or invalidates the queries it concerns. Screens only read queries.
//
// To follow a new kind of frame, add a rule: `rule(["its.type"], (frame, ctx) => ...)`.
import type { QueryClient } from "@tanstack/react-query";
import type { Conversation } from "../api/client";
import { OVERVIEW_KEY } from "../organisation/hooks";
import { rememberAgent, routingKeys } from "../routing/hooks";
import { rememberSla } from "../sla/live";
import { furtherMark, rememberContact, rememberConversations, rememberMessages } from "./cache";
import type { Frame, FrameOf, FrameType, ReadMark } from "./frames";
import { EXPORTS_KEY, REPORTS_KEY, WALLBOARD_KEY, liveKeys } from "./keys";
import { type Notice, noticeFor } from "./notify";

export interface ApplyContext {
  queries: QueryClient;
  workspaceId: string;
  userId: string | null;
  /** The time the frame arrived (ms). */
  now: number;
  /** Runs `run` once for a burst: the first call schedules it `ms` later, the rest join it. */
  soon: (key: string, ms: number, run: () => void) => void;
  /** Tells the agent (the notice, a chime, the OS's notice). */
  notify: (notice: Notice) => void;
}

export interface Typing {
  userId: string | null;
  visitor: boolean;
  until: number;
}

/** How long a "viewing" signal lasts unless renewed (the app renews it every 15 s). */
export const VIEWING_SECONDS = 45;
/** How long "typing" shows unless said again. */
export const TYPING_MS = 6_000;

interface Rule {
  types: ReadonlySet<string>;
  run: (frame: Frame, ctx: ApplyContext) => void;
}

function rule<T extends FrameType>(types: readonly T[], run: (frame: FrameOf<T>, ctx: ApplyContext) => void): Rule {
  return { types: new Set(types), run: run as (frame: Frame, ctx: ApplyContext) => void };
}

// Events whose data is the whole conversation as it is now (`ConversationEventData`).
export const CONVERSATION_EVENTS = [
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
] as const satisfies readonly FrameType[];
// Who holds a conversation changed: agents' loads, and maybe the caller's own.
const LOAD_EVENTS = [
  "conversation.assigned",
  "conversation.unassigned",
  "conversation.transferred",
  "conversation.closed",
  "conversation.status_changed",
  "conversation.queued",
] as const satisfies readonly FrameType[];
// Anything that can move a conversation in or out of a queue, or change who has room.
const QUEUE_EVENTS = [...LOAD_EVENTS, "queue.updated", "conversation.updated", "agent.state_changed"] as const;
// Everything that changes a wallboard's queue, service level or agent's load.
const WALLBOARD_EVENTS = [
  ...LOAD_EVENTS,
  "conversation.created",
  "message.created",
  "agent.state_changed",
  "queue.updated",
  "reports.updated",
  "conversation.help_raised",
  "conversation.help_lowered",
  "conversation.sla_at_risk",
  "conversation.sla_breached",
  "conversation.sla_met",
] as const;

function invalidate(queries: QueryClient, queryKey: readonly unknown[]): void {
  void queries.invalidateQueries({ queryKey });
}

function setTyping(queries: QueryClient, conversationId: string, typing: Typing | null): void {
  queries.setQueryData(liveKeys.typing(conversationId), typing);
}

export const RULES: readonly Rule[] = [
  // Entities: the newest copy everywhere it is cached.
  rule([...CONVERSATION_EVENTS, "message.created"], (f, { queries }) => {
    const conversation: Conversation | null | undefined = f.data.conversation;
    if (conversation) rememberConversations(queries, [conversation]);
  }),
  rule(["message.created", "message.updated"], (f, { queries }) => {
    const m = f.data.message;
    rememberMessages(queries, [m]);
    // The inbox's rows show what arrived since their list was fetched.
    queries.setQueryData<Record<string, typeof m[]>>(liveKeys.arrived, (arrived = {}) => ({
      ...arrived,
      [m.conversation_id]: [...(arrived[m.conversation_id] ?? []).filter((known) => known.id !== m.id || known.version > m.version), m],
    }));
    // A history still loading: fetched again, so it has the message.
    if (!queries.getQueryData(["messages", m.conversation_id])) invalidate(queries, ["messages", m.conversation_id]);
    if (f.type === "message.created" && m.direction === "inbound") setTyping(queries, m.conversation_id, null);
  }),
  rule(["contact.updated"], (f, { queries }) => {
    rememberContact(queries, f.data);
    invalidate(queries, ["contact", f.data.id]);
  }),
  // An import's batch or an undone merge: the contacts page's lists and suggestions, a beat later.
  rule(["contact.imported", "contact.merge_undone", "contact.merged"], (_f, { queries, soon }) =>
    soon("contacts", 500, () => {
      invalidate(queries, ["contacts"]);
      invalidate(queries, ["contact-duplicates"]);
      invalidate(queries, ["contact-merges"]);
    }),
  ),
  // Lists and counts: their order and membership follow events, a beat later (a burst: one request).
  rule([...CONVERSATION_EVENTS, "message.created", "contact.updated"], (_f, { queries, soon }) =>
    soon("lists", 250, () => {
      invalidate(queries, ["conversations"]);
      invalidate(queries, ["counts"]);
    }),
  ),
  rule(["read_cursor.moved"], (f, { queries }) => {
    const { conversation_id, last_read_at, last_read_message_id } = f.data.read_cursor;
    const mark: ReadMark = { conversation_id, last_read_at, last_read_message_id };
    queries.setQueryData<Record<string, ReadMark>>(liveKeys.reads, (reads = {}) => ({
      ...reads,
      [conversation_id]: furtherMark(reads[conversation_id], mark),
    }));
  }),
  rule(["saved_view.created", "saved_view.updated", "saved_view.deleted"], (_f, { queries }) => {
    invalidate(queries, ["saved-views"]);
    invalidate(queries, ["counts", "views"]);
  }),
  // The bell: a notification kept or read (here or in another tab) shows at once.
  rule(["notification.created", "notification.read"], (_f, { queries }) => invalidate(queries, ["notifications"])),
  rule(["notification.created"], (f, { workspaceId, now, notify }) => {
    const notice = noticeFor(f, workspaceId);
    if (notice) notify({ ...notice, at: now });
  }),
  // Signals: not stored, never replayed.
  rule(["typing"], (f, { queries, now }) => {
    const { conversation_id, user_id, visitor, active } = f.data;
    setTyping(queries, conversation_id, active ? { userId: user_id ?? null, visitor: Boolean(visitor), until: now + TYPING_MS } : null);
  }),
  rule(["viewing"], (f, { queries, now }) => {
    const { conversation_id, user_id, active } = f.data;
    const user = String(user_id);
    queries.setQueryData<Record<string, number>>(liveKeys.viewing(conversation_id), (viewers = {}) => {
      const next = { ...viewers };
      // The viewer's app renews it every 15 s; the server ends it when they leave or fall silent.
      if (active === false) delete next[user];
      else next[user] = now + VIEWING_SECONDS * 1000;
      return next;
    });
  }),
  rule(["presence"], (f, { queries }) =>
    queries.setQueryData<Record<string, boolean>>(liveKeys.presence, (online = {}) => ({ ...online, [f.data.user_id]: f.data.online })),
  ),
  // Routing: agents' states, settings, loads, queues and the "why me?" of a conversation.
  rule(["agent.state_changed"], (f, { queries }) => rememberAgent(queries, f.data.agent)),
  rule(["routing.changed"], (f, { queries }) => {
    invalidate(queries, routingKeys.settings);
    if (f.data.team_id) invalidate(queries, routingKeys.team(f.data.team_id));
  }),
  rule(LOAD_EVENTS, (f, { queries, userId, soon }) => {
    soon("routing-agents", 250, () => invalidate(queries, routingKeys.agents));
    const previous = f.data.change["previous_assignee_id"];
    if (userId && (f.data.conversation.assignee?.id === userId || previous === userId)) {
      soon("routing-me", 250, () => invalidate(queries, routingKeys.me));
    }
    invalidate(queries, routingKeys.assignments(f.data.conversation.id));
  }),
  rule(QUEUE_EVENTS, (_f, { queries, soon }) =>
    soon("queues", 250, () => {
      invalidate(queries, routingKeys.queues);
      invalidate(queries, routingKeys.agents);
    }),
  ),
  // Supervision: the wallboard's tiles (a burst: one refresh a second later) and raised hands.
  rule(WALLBOARD_EVENTS, (_f, { queries, soon }) => soon("wallboard", 1_000, () => invalidate(queries, WALLBOARD_KEY))),
  rule(["conversation.help_raised", "conversation.help_lowered"], (f, { queries }) => invalidate(queries, ["help", f.data.conversation_id])),
  // SLA: a conversation's due times and status into its cached copies; policies in Settings.
  rule(["conversation.sla_updated"], (f, { queries }) => rememberSla(queries, f.data.conversation_id, f.data.sla)),
  rule(["sla_policy.changed"], (_f, { queries }) => invalidate(queries, ["sla-policies"])),
  // Webhooks in Settings: subscriptions and delivery logs (once per burst), team chat hooks.
  rule(["webhook_subscription.changed", "webhook_delivery.updated"], (_f, { queries, soon }) => soon("webhooks", 500, () => invalidate(queries, ["webhooks"]))),
  rule(["team_chat_hook.changed"], (_f, { queries }) => invalidate(queries, ["team-chat-hooks"])),
  rule(["broadcast.changed"], (_f, { queries }) => invalidate(queries, ["broadcasts"])),
  rule(["csat.sent", "csat.answered"], (f, { queries }) => invalidate(queries, ["csat", f.data.csat.conversation_id])),
  // Reports: open reports follow their figures (once per burst, 2 s after).
  rule(["reports.updated", "outcome_target.changed"], (_f, { queries, soon }) => soon("reports", 2_000, () => invalidate(queries, REPORTS_KEY))),
  rule(["report_export.updated"], (f, { queries }) =>
    queries.setQueryData<(typeof f.data)[]>(EXPORTS_KEY, (list) => {
      const rest = (list ?? []).filter((e) => e.id !== f.data.id);
      return [f.data, ...rest].sort((a, b) => b.created_at.localeCompare(a.created_at));
    }),
  ),
  rule(["report_export.deleted"], (f, { queries }) =>
    queries.setQueryData<{ id: string }[]>(EXPORTS_KEY, (list) => (list ?? []).filter((e) => e.id !== f.data.id)),
  ),
  // The organisation's overview: signals are not replayed, so read it again after (re)connecting.
  rule(["organisation.load_changed", "hello", "resync"], (_f, { queries, soon }) =>
    soon("organisation", 1_000, () => invalidate(queries, OVERVIEW_KEY)),
  ),
  // The log no longer holds the cursor: everything fetched again (what only the socket tells stays).
  rule(["resync"], (_f, { queries }) => void queries.invalidateQueries({ predicate: (q) => q.queryKey[0] !== liveKeys.all[0] })),
];

/** Applies one frame from the agent socket to the query cache. */
export function applyFrame(frame: Frame, ctx: ApplyContext): void {
  for (const r of RULES) if (r.types.has(frame.type)) r.run(frame, ctx);
}
