import { describe, expect, it } from "vitest";
import type { Message } from "../api/client";
import { isPersonMessage, rowLine, rowTime } from "./row";

function message(over: Partial<Message>): Message {
  return { id: "m", conversation_id: "c", direction: "inbound", sender_type: "contact", kind: "text", body: "hi", created_at: "2026-12-06T10:00:00Z", ...over } as Message;
}

describe("the row's line", () => {
  it("counts the customer's messages and agents' replies, never automatic ones or notes", () => {
    expect(isPersonMessage(message({}))).toBe(true);
    expect(isPersonMessage(message({ sender_type: "agent", direction: "outbound" }))).toBe(true);
    expect(isPersonMessage(message({ sender_type: "system", direction: "outbound" }))).toBe(false);
    expect(isPersonMessage(message({ sender_type: "bot", direction: "outbound" }))).toBe(false);
    expect(isPersonMessage(message({ sender_type: "agent", kind: "note" }))).toBe(false);
  });

  it("keeps the server's line when nothing newer of a person arrived", () => {
    const c = { last_message_preview: "Do you have openings?", last_message_at: "2026-12-06T10:00:00Z" };
    const automatic = message({ sender_type: "system", body: "You're now chatting with Bob", created_at: "2026-12-06T10:05:00Z" });
    expect(rowLine(c, [automatic])).toEqual({ text: "Do you have openings?", at: "2026-12-06T10:00:00Z" });
  });

  it("takes a newer person's message that arrived live", () => {
    const c = { last_message_preview: "Do you have openings?", last_message_at: "2026-12-06T10:00:00Z" };
    const reply = message({ sender_type: "agent", body: "Yes,\n two", created_at: "2026-12-06T10:06:00Z" });
    expect(rowLine(c, [reply])).toEqual({ text: "Yes, two", at: "2026-12-06T10:06:00Z" });
  });
});

describe("the row's time", () => {
  const now = Date.parse("2026-12-06T15:00:00");
  it("is the time today, the weekday this week, the date before", () => {
    expect(rowTime("2026-12-06T09:05:00", now, "en")).toMatch(/09:05/);
    expect(rowTime("2026-12-04T09:05:00", now, "en")).toBe("Fri");
    expect(rowTime("2026-11-20T09:05:00", now, "en")).toBe("Nov 20");
    expect(rowTime("2026-11-20T09:05:00", now, "pt-BR")).toMatch(/^20 de nov/);
  });
});
