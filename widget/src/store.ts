// The visitor's messages: server copies and optimistic sends, merged by id and client id.

export interface Attachment {
  id: string;
  name?: string;
  content_type?: string;
  size?: number;
  url?: string | null;
  thumbnail_url?: string | null;
}

export interface ServerMessage {
  id: string;
  conversation_id: string;
  author: "visitor" | "agent" | "bot";
  agent: { name: string; avatar_url: string | null } | null;
  body: string;
  attachments: Attachment[];
  status: string | null;
  client_message_id: string | null;
  created_at: string;
}

export type LocalState = "pending" | "failed" | "stored";

export interface ChatMessage extends ServerMessage {
  local: LocalState;
}

const STATUS_RANK: Record<string, number> = { pending: 0, received: 1, sent: 1, delivered: 2, read: 3 };

function rank(status: string | null): number {
  return status === null ? -1 : (STATUS_RANK[status] ?? 0);
}

export class MessageStore {
  private byId = new Map<string, ChatMessage>();
  private byClientId = new Map<string, string>();

  /** Apply a server copy (from history, a send response or an event); repeats are harmless. */
  apply(message: ServerMessage): ChatMessage {
    const cid = message.client_message_id;
    const localId = cid ? this.byClientId.get(cid) : undefined;
    const previous = this.byId.get(message.id) ?? (localId ? this.byId.get(localId) : undefined);
    if (localId && localId !== message.id) this.byId.delete(localId);
    // A status only moves forward: a late "sent" never undoes "read".
    const status =
      previous && rank(previous.status) > rank(message.status) ? previous.status : message.status;
    const merged: ChatMessage = { ...message, status, local: "stored" };
    this.byId.set(message.id, merged);
    if (cid) this.byClientId.set(cid, message.id);
    return merged;
  }

  /** A message typed here and not yet confirmed by the server. */
  addPending(clientId: string, body: string, attachments: Attachment[], now: Date): ChatMessage {
    const message: ChatMessage = {
      id: `local:${clientId}`,
      conversation_id: "",
      author: "visitor",
      agent: null,
      body,
      attachments,
      status: "pending",
      client_message_id: clientId,
      created_at: now.toISOString(),
      local: "pending",
    };
    this.byId.set(message.id, message);
    this.byClientId.set(clientId, message.id);
    return message;
  }

  markFailed(clientId: string): void {
    const id = this.byClientId.get(clientId);
    const message = id ? this.byId.get(id) : undefined;
    if (message && message.local !== "stored") message.local = "failed";
  }

  markPending(clientId: string): void {
    const id = this.byClientId.get(clientId);
    const message = id ? this.byId.get(id) : undefined;
    if (message && message.local === "failed") message.local = "pending";
  }

  get(id: string): ChatMessage | undefined {
    return this.byId.get(id);
  }

  /** Oldest first; ties broken by id so every render has the same order. */
  list(): ChatMessage[] {
    return [...this.byId.values()].sort((a, b) =>
      a.created_at === b.created_at ? a.id.localeCompare(b.id) : a.created_at < b.created_at ? -1 : 1,
    );
  }

  /** Agent replies the visitor has not yet reported as read. */
  unreadReplies(): ChatMessage[] {
    return this.list().filter((m) => m.author !== "visitor" && m.status !== "read");
  }

  /** Start again from a fresh page of history, keeping the sends not yet confirmed. */
  reset(messages: ServerMessage[]): void {
    const unconfirmed = [...this.byId.values()].filter((m) => m.local !== "stored");
    this.byId.clear();
    this.byClientId.clear();
    for (const m of unconfirmed) {
      this.byId.set(m.id, m);
      if (m.client_message_id) this.byClientId.set(m.client_message_id, m.id);
    }
    for (const m of messages) this.apply(m);
  }
}
