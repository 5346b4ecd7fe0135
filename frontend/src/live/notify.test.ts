import { describe, expect, it } from "vitest";
import { noticeFor } from "./notify";

const conversation = { id: "c1", contact: { name: "Erin" }, assignee: { id: "me" } };

describe("notices", () => {
  it("tells me when someone else assigns me a conversation", () => {
    const frame = { type: "conversation.assigned", id: 5, data: { conversation, change: { by_user_id: "boss" } } };
    expect(noticeFor(frame, "me")).toEqual({ id: 5, kind: "assigned", conversationId: "c1", who: "Erin" });
  });

  it("stays quiet when I took it myself, or it went to someone else", () => {
    const mine = { type: "conversation.assigned", id: 6, data: { conversation, change: { by_user_id: "me" } } };
    const theirs = { type: "conversation.assigned", id: 7, data: { conversation: { ...conversation, assignee: { id: "bob" } }, change: {} } };
    expect(noticeFor(mine, "me")).toBeNull();
    expect(noticeFor(theirs, "me")).toBeNull();
  });

  it("tells me when a note mentions me", () => {
    const frame = {
      type: "message.created",
      id: 8,
      data: { conversation, message: { mentions: ["me"], sender: { id: "bob", name: "Bob" } } },
    };
    expect(noticeFor(frame, "me")).toEqual({ id: 8, kind: "mention", conversationId: "c1", who: "Bob" });
    expect(noticeFor(frame, "bob")).toBeNull();
  });
});
