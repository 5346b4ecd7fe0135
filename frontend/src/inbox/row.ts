// What an inbox row says: the last message of a person (the customer's, or an agent's reply) and when.
import type { Conversation, Message } from "../api/client";

/** Automatic messages (routing's "You're now chatting with…", queue and hours notices) and
 * internal notes never stand for the conversation in the list. */
export function isPersonMessage(m: Pick<Message, "sender_type" | "kind">): boolean {
  return (m.sender_type === "contact" || m.sender_type === "agent") && m.kind !== "note";
}

export interface RowLine {
  text: string;
  at: string | null;
}

/** The row's line: the conversation's own (kept by the server), or a newer person's message
 * that arrived live before the list was fetched again. */
export function rowLine(c: Pick<Conversation, "last_message_preview" | "last_message_at">, live: readonly Message[] = []): RowLine {
  let line: RowLine = { text: c.last_message_preview, at: c.last_message_at ?? null };
  for (const m of live) {
    if (!isPersonMessage(m) || !m.body.trim()) continue;
    if (line.at === null || Date.parse(m.created_at) > Date.parse(line.at)) line = { text: m.body.split(/\s+/).join(" ").trim(), at: m.created_at };
  }
  return line;
}

/** "14:05" today, "Mon" this week, "3 Dec" before: short enough for a phone's row. */
export function rowTime(iso: string, now: number, language: string): string {
  const at = new Date(iso);
  const today = new Date(now);
  if (at.toDateString() === today.toDateString()) {
    return new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit" }).format(at);
  }
  if (now - at.getTime() < 6 * 86_400_000 && at.getTime() <= now) {
    return new Intl.DateTimeFormat(language, { weekday: "short" }).format(at);
  }
  return new Intl.DateTimeFormat(language, { day: "numeric", month: "short" }).format(at);
}
