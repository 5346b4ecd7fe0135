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
  /** Contacts as their latest `contact.updated` showed them, shown on their conversations. */
  contacts: Record<string, LiveContact>;
}

/** What a conversation shows of its contact, with the contact's version. */
export interface LiveContact {
  id: string;
  version: number;
  name: string;
  avatar_url: string | null;
  email: string | null;
  phone: string | null;
}

/** How far the caller has read one conversation (`read_cursor.moved`). */
export interface ReadMark {
  conversation_id: string;
  last_read_at: string;
  last_read_message_id: string | null;
}

/** How long a "viewing" signal lasts unless renewed. */
export const VIEWING_SECONDS = 45;

export const emptyState: LiveState = {
  cursor: 0,
  conversations: {},
  messages: {},
  typing: {},
  viewing: {},
  online: {},
  reads: {},
  viewsVersion: 0,
  contacts: {},
};

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

/** The conversation showing its contact as last known from `contact.updated`, if known. */
function showingContact(c: Conversation, contacts: Record<string, LiveContact>): Conversation {
  const known = contacts[c.contact.id];
  if (!known) return c;
  const { name, avatar_url, email, phone } = known;
  if (c.contact.name === name && c.contact.avatar_url === avatar_url && c.contact.email === email && c.contact.phone === phone) return c;
  return { ...c, contact: { ...c.contact, name, avatar_url, email, phone } };
}

/** A contact from a `contact.updated` frame, if it is one and newer than what is known. */
function newerContact(known: Record<string, LiveContact>, data: Record<string, unknown>): LiveContact | undefined {
  const { id, version, name } = data;
  if (typeof id !== "string" || typeof version !== "number" || typeof name !== "string") return undefined;
  if ((known[id]?.version ?? -1) >= version) return undefined;
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return { id, version, name, avatar_url: text(data["avatar_url"]), email: text(data["email"]), phone: text(data["phone"]) };
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
    // The viewer's app renews it every 15 s; the server ends it when they leave or fall silent.
    else viewers[user] = now + VIEWING_SECONDS * 1000;
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
  const contact = frame.type === "contact.updated" ? newerContact(next.contacts, data) : undefined;
  if (contact) {
    // The contact is not part of a conversation's version: its conversations keep theirs.
    const contacts = { ...next.contacts, [contact.id]: contact };
    const conversations = Object.fromEntries(Object.entries(next.conversations).map(([id, c]) => [id, showingContact(c, contacts)]));
    next = { ...next, contacts, conversations };
  }
  const conversation = data["conversation"] as Conversation | undefined;
  if (conversation && typeof conversation === "object" && "version" in conversation) {
    next = { ...next, conversations: newer(next.conversations, showingContact(conversation, next.contacts)) };
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
