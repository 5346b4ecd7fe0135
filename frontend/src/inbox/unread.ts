// Unread markers: the customer wrote after the caller last opened the conversation.
import { useEffect } from "react";
import { type Conversation, type Message, type Schemas, api } from "../api/client";

export type ReadState = Schemas["ReadState"];

const time = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

/**
 * How many of the customer's messages the caller has not read (0: read).
 *
 * `server` is the caller's state when the list was fetched (exact: it orders messages written
 * in the same instant by id); `liveReadAt` their cursor as moved since, by this tab or another.
 * Until the list is fetched again: a cursor moved past the customer's last message reads it,
 * and a customer message after a read state makes it unread.
 */
export function unreadCount(c: Conversation, server: ReadState | undefined, liveReadAt: string | undefined, open: boolean): number {
  if (open || !c.last_inbound_at) return 0;
  const inbound = time(c.last_inbound_at);
  const fetchedAt = time(server?.last_read_at);
  if (liveReadAt && time(liveReadAt) > fetchedAt && time(liveReadAt) >= inbound) return 0;
  if (server && server.unread_count > 0) return server.unread_count;
  return inbound > Math.max(fetchedAt, time(liveReadAt)) ? 1 : 0;
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
