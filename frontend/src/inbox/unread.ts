// Unread markers: the customer wrote after the caller last opened the conversation.
import { useEffect } from "react";
import { type Conversation, type Message, type Schemas, api } from "../api/client";
import type { ReadMark } from "../live/frames";

export type ReadState = Schemas["ReadState"];

/**
 * A place in a conversation: when a message was written, then its id. Messages written in the
 * same instant are ordered by id (ids are time-ordered), as the server orders them.
 */
export interface Place {
  at: number;
  id: string;
}

export const place = (iso: string | null | undefined, id?: string | null): Place => ({
  at: iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY,
  id: id ?? "",
});

/** `a` comes after `b`. A place without an id stands before every message of its instant. */
export const after = (a: Place, b: Place): boolean => (a.at !== b.at ? a.at > b.at : a.id > b.id);

/**
 * How many of the customer's messages the caller has not read (0: read).
 *
 * `server` is the caller's state when the list was fetched (exact); `live` their cursor as moved
 * since, by this tab or another; `seen` the newest customer message that arrived live, if any.
 * Until the list is fetched again: a cursor moved past the customer's newest message reads it,
 * and a customer message after the cursor makes it unread.
 */
export function unreadCount(c: Conversation, server: ReadState | undefined, live: ReadMark | undefined, open: boolean, seen?: Place): number {
  if (open || !c.last_inbound_at) return 0;
  const listed = place(c.last_inbound_at);
  const inbound = seen && after(seen, listed) ? seen : listed;
  const fetched = place(server?.last_read_at, server?.last_read_message_id);
  const moved = live ? place(live.last_read_at, live.last_read_message_id) : undefined;
  if (moved && after(moved, fetched) && !after(inbound, moved)) return 0;
  if (server && server.unread_count > 0) return server.unread_count;
  return after(inbound, moved && after(moved, fetched) ? moved : fetched) ? 1 : 0;
}

/** The newest customer message of each conversation among those that arrived live. */
export function newestInboundPlaces(messages: Record<string, Message>): Record<string, Place> {
  const newest: Record<string, Place> = {};
  for (const m of Object.values(messages)) {
    if (m.direction !== "inbound") continue;
    const p = place(m.created_at, m.id);
    const known = newest[m.conversation_id];
    if (!known || after(p, known)) newest[m.conversation_id] = p;
  }
  return newest;
}

/** The newest message from the customer among those shown, the one reading reaches. */
export function newestInbound(messages: Message[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.direction === "inbound") return m.id;
  }
  return undefined;
}

/**
 * The open conversation is read: on opening, and again whenever a customer message shows up
 * while it is on screen. In a hidden tab it waits until the tab is shown again.
 */
export function useMarkRead(conversationId: string, newestInboundId: string | undefined): void {
  useEffect(() => {
    if (!newestInboundId) return;
    const mark = () => void api.POST("/api/v1/conversations/{conversation_id}/read", { params: { path: { conversation_id: conversationId } } });
    if (!document.hidden) {
      mark();
      return;
    }
    const onShown = () => {
      if (document.hidden) return;
      document.removeEventListener("visibilitychange", onShown);
      mark();
    };
    document.addEventListener("visibilitychange", onShown);
    return () => document.removeEventListener("visibilitychange", onShown);
  }, [conversationId, newestInboundId]);
}
