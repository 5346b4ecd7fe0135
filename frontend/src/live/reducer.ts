// Applying live events: whole entities with versions, so repeats and reordering are harmless.
import type { Conversation, Message } from "../api/client";

export interface Frame {
  type: string;
  id?: number;
  at?: string;
  cursor?: number;
  data?: Record<string, unknown>;
}

export interface LiveState {
  cursor: number;
  conversations: Record<string, Conversation>;
  messages: Record<string, Message>;
  typing: Record<string, { userId: string | null; visitor: boolean; until: number }>;
  viewing: Record<string, Record<string, number>>;
  online: Record<string, boolean>;
  /** The caller's read cursor per conversation, as moved since the lists were fetched. */
  reads: Record<string, ReadMark>;
  /** The id of the latest `saved_view.*` event: the saved views to fetch again. */
  viewsVersion: number;
}

/** How far the caller has read one conversation (`read_cursor.moved`). */
export interface ReadMark {
  conversation_id: string;
  last_read_at: string;
  last_read_message_id: string | null;
}

export const emptyState: LiveState = { cursor: 0, conversations: {}, messages: {}, typing: {}, viewing: {}, online: {}, reads: {}, viewsVersion: 0 };

/** The mark furthest on: a cursor only moves forward, whatever order its events arrive in. */
export function furtherMark(current: ReadMark | undefined, mark: ReadMark): ReadMark {
  if (!current) return mark;
  const [a, b] = [Date.parse(current.last_read_at), Date.parse(mark.last_read_at)];
  if (a !== b) return a > b ? current : mark;
  return (current.last_read_message_id ?? "") >= (mark.last_read_message_id ?? "") ? current : mark;
}

function newer<T extends { id: string; version: number }>(table: Record<string, T>, entity: T): Record<string, T> {
  const current = table[entity.id];
  if (current && current.version > entity.version) return table;
  return { ...table, [entity.id]: entity };
}

export function rememberConversations(state: LiveState, items: Conversation[]): LiveState {
  return { ...state, conversations: items.reduce((t, c) => newer(t, c), state.conversations) };
}

export function rememberMessages(state: LiveState, items: Message[]): LiveState {
  return { ...state, messages: items.reduce((t, m) => newer(t, m), state.messages) };
}

/** The state after one frame from the agent socket. */
export function applyFrame(state: LiveState, frame: Frame, now = Date.now()): LiveState {
  if (frame.type === "hello" || frame.type === "ready" || frame.type === "resync") {
    // A resuming socket's hello names the end of a replay not yet received: ready confirms it.
    if (frame.type === "hello" && state.cursor > 0) return state;
    return { ...state, cursor: frame.type === "resync" ? (frame.cursor ?? 0) : Math.max(state.cursor, frame.cursor ?? 0) };
  }
  const data = frame.data ?? {};
  if (frame.type === "typing") {
    const id = String(data["conversation_id"]);
    const typing = { ...state.typing };
    if (data["active"]) {
      typing[id] = { userId: (data["user_id"] as string | null) ?? null, visitor: Boolean(data["visitor"]), until: now + 6000 };
    } else {
      delete typing[id];
    }
    return { ...state, typing };
  }
  if (frame.type === "viewing") {
    const id = String(data["conversation_id"]);
    const user = String(data["user_id"]);
    const viewers = { ...(state.viewing[id] ?? {}) };
    if (data["active"] === false) delete viewers[user];
    else viewers[user] = now + 60_000;
    return { ...state, viewing: { ...state.viewing, [id]: viewers } };
  }
  if (frame.type === "presence") {
    return { ...state, online: { ...state.online, [String(data["user_id"])]: Boolean(data["online"]) } };
  }
  if (typeof frame.id !== "number") return state;
  let next: LiveState = { ...state, cursor: Math.max(state.cursor, frame.id) };
  const mark = data["read_cursor"] as ReadMark | undefined;
  if (frame.type === "read_cursor.moved" && mark && typeof mark === "object") {
    const further = furtherMark(next.reads[mark.conversation_id], mark);
    next = { ...next, reads: { ...next.reads, [mark.conversation_id]: further } };
  }
  if (frame.type.startsWith("saved_view.")) next = { ...next, viewsVersion: Math.max(next.viewsVersion, frame.id) };
  const conversation = data["conversation"] as Conversation | undefined;
  if (conversation && typeof conversation === "object" && "version" in conversation) {
    next = { ...next, conversations: newer(next.conversations, conversation) };
  }
  const message = data["message"] as Message | undefined;
  if (frame.type.startsWith("message.") && message && "version" in message) {
    next = { ...next, messages: newer(next.messages, message) };
    if (frame.type === "message.created" && message.direction === "inbound") {
      const typing = { ...next.typing };
      delete typing[message.conversation_id];
      next = { ...next, typing };
    }
  }
  return next;
}

/** Messages of one conversation, oldest first. */
export function messagesOf(state: LiveState, conversationId: string): Message[] {
  return Object.values(state.messages)
    .filter((m) => m.conversation_id === conversationId)
    .sort((a, b) => (a.created_at === b.created_at ? a.id.localeCompare(b.id) : a.created_at < b.created_at ? -1 : 1));
}
