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
}

export const emptyState: LiveState = { cursor: 0, conversations: {}, messages: {}, typing: {}, viewing: {}, online: {} };

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
    return { ...state, cursor: Math.max(state.cursor, frame.cursor ?? 0) };
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
