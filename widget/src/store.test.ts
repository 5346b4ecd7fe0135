import { describe, expect, it } from "vitest";
import { MessageStore, type ServerMessage } from "./store";

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

  it("keeps one copy whether the event or the send response arrives first", () => {
    const eventFirst = new MessageStore();
    eventFirst.addPending("c-3", "hi", [], new Date("2026-05-01T10:00:00Z"));
    const stored = server({ id: "m3", author: "visitor", client_message_id: "c-3", status: "received" });
    eventFirst.apply(stored); // visitor.message_created over the socket
    eventFirst.apply(stored); // then the 201 response
    expect(eventFirst.list().map((m) => [m.id, m.local])).toEqual([["m3", "stored"]]);

    const responseFirst = new MessageStore();
    responseFirst.addPending("c-3", "hi", [], new Date("2026-05-01T10:00:00Z"));
    responseFirst.apply(stored);
    responseFirst.markFailed("c-3"); // a late failure of a retried copy cannot undo the stored one
    responseFirst.apply(stored);
    expect(responseFirst.list().map((m) => [m.id, m.local])).toEqual([["m3", "stored"]]);
  });

  it("takes the newer copy of a message from an update event", () => {
    const store = new MessageStore();
    store.apply(server({ status: "sent" }));
    store.apply(server({ status: "delivered", body: "hello (edited)" }));
    expect(store.get("m1")?.status).toBe("delivered");
    expect(store.get("m1")?.body).toBe("hello (edited)");
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

  it("keeps unconfirmed sends when history is loaded again", () => {
    const store = new MessageStore();
    store.apply(server({ id: "old" }));
    store.addPending("c-4", "still sending", [], new Date("2026-05-01T10:05:00Z"));
    store.reset([server({ id: "m5", created_at: "2026-05-01T10:01:00Z" })]);
    expect(store.list().map((m) => m.id)).toEqual(["m5", "local:c-4"]);
    store.apply(server({ id: "m6", author: "visitor", client_message_id: "c-4", created_at: "2026-05-01T10:05:00Z" }));
    expect(store.list().map((m) => m.id)).toEqual(["m5", "m6"]);
  });

  it("lists replies not yet read", () => {
    const store = new MessageStore();
    store.apply(server({ id: "r1", status: "read" }));
    store.apply(server({ id: "r2", status: "sent", created_at: "2026-05-01T10:01:00Z" }));
    store.apply(server({ id: "v1", author: "visitor", status: "received" }));
    expect(store.unreadReplies().map((m) => m.id)).toEqual(["r2"]);
  });
});
