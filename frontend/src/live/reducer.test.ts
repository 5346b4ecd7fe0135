import { describe, expect, it } from "vitest";
import events from "../../../tests/golden/events.json";
import type { Conversation } from "../api/client";
import { applyFrame, emptyState, messagesOf, type Frame, type LiveState } from "./reducer";

// Written by the backend suite (tests/realtime/test_convergence.py) from real frames.
const golden = events as unknown as {
  frames: Frame[];
  final: { conversations: Record<string, { version: number }>; messages: Record<string, { version: number }> };
};

function run(frames: Frame[]): LiveState {
  return frames.reduce((s, f) => applyFrame(s, f, 0), emptyState);
}

describe("the live reducer on events written by the backend suite", () => {
  it("ends with the entities the server holds", () => {
    const state = run(golden.frames);
    for (const [id, conv] of Object.entries(golden.final.conversations)) {
      expect(state.conversations[id]?.version).toBe(conv.version);
    }
    for (const [id, message] of Object.entries(golden.final.messages)) {
      expect(state.messages[id]?.version).toBe(message.version);
    }
  });

  it("gives the same state when every frame arrives twice, shuffled", () => {
    const doubled = [...golden.frames, ...golden.frames].reverse();
    const once = run(golden.frames);
    const twice = run(doubled);
    expect(twice.conversations).toEqual(once.conversations);
    expect(twice.messages).toEqual(once.messages);
    expect(twice.cursor).toBe(once.cursor);
  });
});

describe("signals", () => {
  it("shows and clears typing", () => {
    const on = applyFrame(emptyState, { type: "typing", data: { conversation_id: "c", user_id: "u", active: true } }, 0);
    expect(on.typing["c"]?.userId).toBe("u");
    const off = applyFrame(on, { type: "typing", data: { conversation_id: "c", active: false } }, 0);
    expect(off.typing["c"]).toBeUndefined();
  });

  it("tracks who is viewing, until they leave", () => {
    const on = applyFrame(emptyState, { type: "viewing", data: { conversation_id: "c", user_id: "u" } }, 1000);
    expect(on.viewing["c"]?.["u"]).toBe(46_000);
    const off = applyFrame(on, { type: "viewing", data: { conversation_id: "c", user_id: "u", active: false } }, 2000);
    expect(off.viewing["c"]?.["u"]).toBeUndefined();
  });

  it("tracks presence", () => {
    const s = applyFrame(emptyState, { type: "presence", data: { user_id: "u", online: true } });
    expect(s.online["u"]).toBe(true);
  });

  it("orders messages oldest first", () => {
    const state = run(golden.frames);
    const first = Object.values(state.messages)[0];
    expect(first).toBeDefined();
    if (!first) return;
    const list = messagesOf(state, first.conversation_id);
    const times = list.map((m) => m.created_at);
    expect(times).toEqual([...times].sort());
  });
});

describe("a contact that changed", () => {
  const conversation = (version: number, name: string) =>
    ({ id: "conv", version, contact: { id: "ct", name, avatar_url: null, email: null, phone: null } }) as unknown as Conversation;
  const updated = (id: number, version: number, name: string, avatar_url: string | null = null): Frame => ({
    type: "contact.updated",
    id,
    data: { id: "ct", version, name, avatar_url, email: null, phone: null },
  });
  const convFrame = (id: number, version: number, name: string): Frame => ({ type: "conversation.updated", id, data: { conversation: conversation(version, name) } });

  it("shows its new name and picture on its conversations, which keep their version", () => {
    const state = [convFrame(1, 3, "6012345678901234"), updated(2, 2, "Beatriz Lima", "/pic")].reduce((s, f) => applyFrame(s, f, 0), emptyState);
    expect(state.conversations["conv"]?.contact).toMatchObject({ name: "Beatriz Lima", avatar_url: "/pic" });
    expect(state.conversations["conv"]?.version).toBe(3);
  });

  it("ends the same whatever order its frames arrive in", () => {
    const frames = [convFrame(1, 3, "6012345678901234"), updated(2, 2, "Beatriz"), updated(3, 3, "Beatriz Lima"), convFrame(4, 4, "Beatriz")];
    const forward = frames.reduce((s, f) => applyFrame(s, f, 0), emptyState);
    const backward = [...frames].reverse().reduce((s, f) => applyFrame(s, f, 0), emptyState);
    expect(forward.conversations["conv"]?.contact.name).toBe("Beatriz Lima");
    expect(backward.conversations["conv"]).toEqual(forward.conversations["conv"]);
  });
});
