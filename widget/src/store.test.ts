import { describe, expect, it } from "vitest";
import { MessageStore, type ServerMessage, backoff, dayLabel } from "./store";

function server(overrides: Partial<ServerMessage>): ServerMessage {
  return {
    id: "m1",
    conversation_id: "c1",
    author: "agent",
    agent: { name: "Ana", avatar_url: null },
    body: "hello",
    attachments: [],
    status: "sent",
    client_message_id: null,
    created_at: "2026-05-01T10:00:00.000Z",
    ...overrides,
  };
}

describe("MessageStore", () => {
  it("applies the same event twice without duplicating it", () => {
    const store = new MessageStore();
    store.apply(server({}));
    store.apply(server({}));
    expect(store.list()).toHaveLength(1);
  });

  it("replaces an optimistic send by the stored copy, matched by client id", () => {
    const store = new MessageStore();
    store.addPending("c-1", "hi", [], new Date("2026-05-01T10:00:00Z"));
    expect(store.list()[0]?.local).toBe("pending");
    store.apply(server({ id: "m9", author: "visitor", client_message_id: "c-1", status: "received" }));
    const all = store.list();
    expect(all).toHaveLength(1);
    expect(all[0]?.id).toBe("m9");
    expect(all[0]?.local).toBe("stored");
  });

  it("never moves a status backwards when events arrive out of order", () => {
    const store = new MessageStore();
    store.apply(server({ status: "read" }));
    store.apply(server({ status: "sent" }));
    expect(store.get("m1")?.status).toBe("read");
  });

  it("orders by time, then id", () => {
    const store = new MessageStore();
    store.apply(server({ id: "b", created_at: "2026-05-01T10:00:01Z" }));
    store.apply(server({ id: "c", created_at: "2026-05-01T10:00:00Z" }));
    store.apply(server({ id: "a", created_at: "2026-05-01T10:00:01Z" }));
    expect(store.list().map((m) => m.id)).toEqual(["c", "a", "b"]);
  });

  it("marks a failed send and lets it be retried", () => {
    const store = new MessageStore();
    store.addPending("c-2", "hi", [], new Date());
    store.markFailed("c-2");
    expect(store.list()[0]?.local).toBe("failed");
    store.markPending("c-2");
    expect(store.list()[0]?.local).toBe("pending");
  });

  it("lists replies not yet read", () => {
    const store = new MessageStore();
    store.apply(server({ id: "r1", status: "read" }));
    store.apply(server({ id: "r2", status: "sent", created_at: "2026-05-01T10:01:00Z" }));
    store.apply(server({ id: "v1", author: "visitor", status: "received" }));
    expect(store.unreadReplies().map((m) => m.id)).toEqual(["r2"]);
  });
});

describe("backoff", () => {
  it("doubles from half a second and stops at thirty", () => {
    const fixed = () => 0.5;
    expect([0, 1, 2, 3].map((a) => backoff(a, fixed))).toEqual([500, 1000, 2000, 4000]);
    expect(backoff(20, fixed)).toBe(30_000);
  });

  it("stays within twenty per cent either way", () => {
    expect(backoff(1, () => 0)).toBe(800);
    expect(backoff(1, () => 1)).toBe(1200);
  });
});

describe("dayLabel", () => {
  const now = new Date(2026, 4, 10, 15, 0);
  it("says today and yesterday", () => {
    expect(dayLabel(new Date(2026, 4, 10, 8).toISOString(), now, "en", "Today", "Yesterday")).toBe("Today");
    expect(dayLabel(new Date(2026, 4, 9, 23).toISOString(), now, "en", "Today", "Yesterday")).toBe("Yesterday");
  });
  it("writes older days in the visitor's language", () => {
    expect(dayLabel(new Date(2026, 4, 1).toISOString(), now, "pt-BR", "Hoje", "Ontem")).toContain("maio");
  });
});
