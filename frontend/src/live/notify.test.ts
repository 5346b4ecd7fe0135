import { describe, expect, it } from "vitest";
import type { Frame } from "./frames";
import { noticeFor } from "./notify";

function created(id: number, notification: Record<string, unknown>): Frame {
  const n = { id: "n", workspace_id: "ws", kind: "mention", actor: null, excerpt: null, created_at: "", read_at: null, ...notification };
  return { type: "notification.created", id, at: "", data: { notification: { ...n, conversation: { id: "c1", contact_name: "Erin", channel_name: "", status: "open" } } } } as Frame;
}

describe("notices", () => {
  it("tells me when someone assigns me a conversation", () => {
    expect(noticeFor(created(5, { kind: "assigned", actor: { name: "Dave" } }), "ws")).toEqual({ id: 5, kind: "assigned", conversationId: "c1", who: "Erin" });
  });

  it("tells me when a note mentions me", () => {
    expect(noticeFor(created(8, { kind: "mention", actor: { name: "Bob" } }), "ws")).toEqual({ id: 8, kind: "mention", conversationId: "c1", who: "Bob" });
  });

  it("stays quiet for another workspace's notification and for other frames", () => {
    expect(noticeFor(created(9, { kind: "mention", workspace_id: "elsewhere" }), "ws")).toBeNull();
    const assigned = { type: "conversation.assigned", id: 6, at: "", data: { conversation: { id: "c1", assignee: { id: "me" } }, change: {} } } as unknown as Frame;
    expect(noticeFor(assigned, "ws")).toBeNull();
  });
});
