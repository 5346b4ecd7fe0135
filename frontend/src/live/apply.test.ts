import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import events from "../../../tests/golden/events.json";
import type { Conversation, Message } from "../api/client";
import { routingKeys } from "../routing/hooks";
import { type ApplyContext, type Typing, VIEWING_SECONDS, applyFrame } from "./apply";
import { furtherMark } from "./cache";
import type { Frame, ReadMark } from "./frames";
import { EXPORTS_KEY, REPORTS_KEY, WALLBOARD_KEY, liveKeys } from "./keys";
import type { Notice } from "./notify";

// Written by the backend suite (tests/realtime/test_convergence.py) from real frames.
const golden = events as unknown as {
  frames: Frame[];
  final: { conversations: Record<string, { version: number }>; messages: Record<string, { version: number }> };
};

interface Harness {
  queries: QueryClient;
  ctx: ApplyContext;
  soon: string[];
  notices: Notice[];
}

function harness(now = 0): Harness {
  const queries = new QueryClient();
  const soon: string[] = [];
  const notices: Notice[] = [];
  const ctx: ApplyContext = {
    queries,
    workspaceId: "ws",
    userId: "me",
    now,
    soon: (key, _ms, run) => {
      soon.push(key);
      run();
    },
    notify: (n) => notices.push(n),
  };
  return { queries, ctx, soon, notices };
}

function run(h: Harness, frames: Frame[]): Harness {
  for (const f of frames) applyFrame(f, h.ctx);
  return h;
}

const invalidated = (h: Harness, key: readonly unknown[]) => h.queries.getQueryState(key)?.isInvalidated ?? false;
const frame = (f: unknown) => f as Frame;

/** A harness whose cache holds every conversation and history the golden frames touch, at version 0. */
function seeded(): Harness {
  const h = harness();
  const conversations = golden.frames.flatMap((f) => ("data" in f && f.data && "conversation" in f.data && f.data.conversation ? [f.data.conversation as Conversation] : []));
  for (const c of conversations) {
    h.queries.setQueryData(["conversation", c.id], { ...c, version: 0 });
    h.queries.setQueryData(["messages", c.id], { items: [], next_cursor: null });
  }
  h.queries.setQueryData(["conversations", "all", ["open"], {}], { pages: [{ items: conversations.map((c) => ({ ...c, version: 0 })) }], pageParams: [undefined] });
  return h;
}

describe("conversations and messages from the golden frames", () => {
  it("end with the versions the server holds, in the open conversation, its history and the inbox", () => {
    const h = run(seeded(), golden.frames);
    for (const [id, conv] of Object.entries(golden.final.conversations)) {
      expect(h.queries.getQueryData<Conversation>(["conversation", id])?.version).toBe(conv.version);
    }
    const pages = h.queries.getQueryData<{ pages: { items: Conversation[] }[] }>(["conversations", "all", ["open"], {}]);
    for (const c of pages?.pages[0]?.items ?? []) expect(c.version).toBe(golden.final.conversations[c.id]?.version);
    const messages = h.queries.getQueriesData<{ items: Message[] }>({ queryKey: ["messages"] }).flatMap(([, page]) => page?.items ?? []);
    expect(Object.fromEntries(messages.map((m) => [m.id, { version: m.version }]))).toEqual(golden.final.messages);
  });

  it("end the same when every frame arrives twice, shuffled", () => {
    const once = run(seeded(), golden.frames);
    const twice = run(seeded(), [...golden.frames, ...golden.frames].reverse());
    for (const key of [["conversations"], ["conversation"], ["messages"]]) {
      expect(twice.queries.getQueriesData({ queryKey: key })).toEqual(once.queries.getQueriesData({ queryKey: key }));
    }
  });

  it("keep a history oldest first, and fetch again one still loading", () => {
    const h = run(seeded(), golden.frames);
    for (const [, page] of h.queries.getQueriesData<{ items: Message[] }>({ queryKey: ["messages"] })) {
      const times = (page?.items ?? []).map((m) => m.created_at);
      expect(times).toEqual([...times].sort());
    }
    const loading = harness();
    const created = golden.frames.find((f) => f.type === "message.created");
    if (!created || created.type !== "message.created") throw new Error("no message in the golden frames");
    loading.queries.getQueryCache().build(loading.queries, { queryKey: ["messages", created.data.message.conversation_id] });
    run(loading, [created]);
    expect(invalidated(loading, ["messages", created.data.message.conversation_id])).toBe(true);
  });

  it("refresh the inbox's lists and counts once for a burst, and keep what arrived for its rows", () => {
    const h = run(seeded(), golden.frames);
    expect(h.soon.filter((k) => k === "lists").length).toBeGreaterThan(0);
    expect(invalidated(h, ["conversations", "all", ["open"], {}])).toBe(true);
    const arrived = h.queries.getQueryData<Record<string, Message[]>>(liveKeys.arrived) ?? {};
    expect(Object.values(arrived).flat().length).toBeGreaterThan(0);
  });
});

describe("read cursors", () => {
  const moved = (id: number, at: string, message: string, conversation = "c") =>
    frame({ id, at, type: "read_cursor.moved", data: { read_cursor: { conversation_id: conversation, last_read_at: at, last_read_message_id: message, user_id: "u" } } });
  const reads = (h: Harness) => h.queries.getQueryData<Record<string, ReadMark>>(liveKeys.reads) ?? {};

  it("only move forward, whatever order the events arrive in", () => {
    const early = moved(1, "2026-01-05T09:00:00Z", "01a2");
    const late = moved(2, "2026-01-05T09:05:00.5Z", "01a3");
    expect(reads(run(harness(), [early, late]))["c"]?.last_read_message_id).toBe("01a3");
    expect(reads(run(harness(), [late, early, late, early]))).toEqual(reads(run(harness(), [early, late])));
  });

  it("compare times, not their spelling, and break a tie with the message id", () => {
    // "…00Z" sorts after "…00.5Z" as text, yet it is half a second earlier.
    const state = reads(run(harness(), [moved(2, "2026-01-05T09:00:00.5Z", "01a1"), moved(1, "2026-01-05T09:00:00Z", "01a2")]));
    expect(state["c"]?.last_read_at).toBe("2026-01-05T09:00:00.5Z");
    const a: ReadMark = { conversation_id: "c", last_read_at: "2026-01-05T09:00:00Z", last_read_message_id: "01a2" };
    const b: ReadMark = { ...a, last_read_message_id: "01a3" };
    expect(furtherMark(a, b)).toBe(b);
    expect(furtherMark(b, a)).toBe(b);
  });

  it("keep each conversation's cursor apart", () => {
    const state = reads(run(harness(), [moved(1, "2026-01-05T09:00:00Z", "m1", "one"), moved(2, "2026-01-05T08:00:00Z", "m2", "two")]));
    expect(Object.keys(state).sort()).toEqual(["one", "two"]);
  });
});

describe("signals", () => {
  it("show and clear typing, and a customer's message clears it", () => {
    const h = run(harness(1000), [frame({ type: "typing", data: { conversation_id: "c", user_id: "u", active: true } })]);
    expect(h.queries.getQueryData<Typing>(liveKeys.typing("c"))).toEqual({ userId: "u", visitor: false, until: 7000 });
    run(h, [frame({ type: "typing", data: { conversation_id: "c", active: false } })]);
    expect(h.queries.getQueryData(liveKeys.typing("c"))).toBeNull();
    const inbound = golden.frames.find((f) => f.type === "message.created" && f.data.message.direction === "inbound");
    if (!inbound || inbound.type !== "message.created") throw new Error("no customer message in the golden frames");
    const id = inbound.data.message.conversation_id;
    run(h, [frame({ type: "typing", data: { conversation_id: id, visitor: true, active: true } }), inbound]);
    expect(h.queries.getQueryData(liveKeys.typing(id))).toBeNull();
  });

  it("track who is viewing, until they leave", () => {
    const h = run(harness(1000), [frame({ type: "viewing", data: { conversation_id: "c", user_id: "u", active: true } })]);
    expect(h.queries.getQueryData(liveKeys.viewing("c"))).toEqual({ u: 1000 + VIEWING_SECONDS * 1000 });
    run(h, [frame({ type: "viewing", data: { conversation_id: "c", user_id: "u", active: false } })]);
    expect(h.queries.getQueryData(liveKeys.viewing("c"))).toEqual({});
  });

  it("track presence", () => {
    const h = run(harness(), [frame({ type: "presence", data: { user_id: "u", online: true } })]);
    expect(h.queries.getQueryData(liveKeys.presence)).toEqual({ u: true });
  });
});

describe("a contact that changed", () => {
  const conversation = (version: number, name: string) =>
    ({ id: "conv", version, contact: { id: "ct", name, avatar_url: null, email: null, phone: null } }) as unknown as Conversation;
  const updated = (id: number, version: number, name: string, avatar_url: string | null = null) =>
    frame({ type: "contact.updated", id, at: "", data: { id: "ct", version, name, avatar_url, email: null, phone: null } });
  const convFrame = (id: number, version: number, name: string) =>
    frame({ type: "conversation.updated", id, at: "", data: { conversation: conversation(version, name), change: {} } });
  const shown = (h: Harness) => h.queries.getQueryData<Conversation>(["conversation", "conv"]);
  const open = () => {
    const h = harness();
    h.queries.setQueryData(["conversation", "conv"], conversation(1, "6012345678901234"));
    h.queries.setQueryData(["contact", "ct"], { id: "ct" });
    return h;
  };

  it("shows its new name and picture on its conversations, which keep their version", () => {
    const h = run(open(), [convFrame(1, 3, "6012345678901234"), updated(2, 2, "Beatriz Lima", "/pic")]);
    expect(shown(h)?.contact).toMatchObject({ name: "Beatriz Lima", avatar_url: "/pic" });
    expect(shown(h)?.version).toBe(3);
    expect(invalidated(h, ["contact", "ct"])).toBe(true);
  });

  it("ends the same whatever order its frames arrive in", () => {
    const frames = [convFrame(1, 3, "6012345678901234"), updated(2, 2, "Beatriz"), updated(3, 3, "Beatriz Lima"), convFrame(4, 4, "Beatriz")];
    const forward = shown(run(open(), frames));
    expect(forward?.contact.name).toBe("Beatriz Lima");
    expect(shown(run(open(), [...frames].reverse()))).toEqual(forward);
  });
});

describe("what other screens follow", () => {
  const event = (type: string, data: unknown, id = 1) => frame({ type, id, at: "2026-01-05T09:00:00Z", data });

  it("notifications: the bell is fetched again, and a mention or an assignment is a notice", () => {
    const h = harness(5);
    h.queries.setQueryData(["notifications"], []);
    const conversation = { id: "c1", contact_name: "Erin", channel_name: "", status: "open" };
    const n = { id: "n", workspace_id: "ws", kind: "mention", actor: { name: "Bob" }, excerpt: null, created_at: "", read_at: null, conversation };
    run(h, [event("notification.created", { notification: n }, 8)]);
    expect(invalidated(h, ["notifications"])).toBe(true);
    expect(h.notices).toEqual([{ id: 8, kind: "mention", conversationId: "c1", who: "Bob", at: 5 }]);
  });

  it("saved views: the list and its counts are fetched again", () => {
    const h = harness();
    h.queries.setQueryData(["saved-views"], []);
    h.queries.setQueryData(["counts", "views"], {});
    run(h, [event("saved_view.deleted", { saved_view_id: "v", reason: "deleted" })]);
    expect(invalidated(h, ["saved-views"]) && invalidated(h, ["counts", "views"])).toBe(true);
  });

  it("an agent's state: every cached copy takes it", () => {
    const h = harness();
    const agent = { user_id: "me", state: "busy" };
    h.queries.setQueryData(routingKeys.me, { user_id: "me", state: "online" });
    h.queries.setQueryData(routingKeys.agents, [{ user_id: "me", state: "online" }]);
    run(h, [event("agent.state_changed", { agent, change: {} })]);
    expect(h.queries.getQueryData(routingKeys.me)).toEqual(agent);
    expect(h.queries.getQueryData(routingKeys.agents)).toEqual([agent]);
  });

  it("a conversation assigned to me: loads, my state, queues, the wallboard and its routing decision", () => {
    const h = seeded();
    const assigned = golden.frames.find((f) => f.type === "conversation.assigned");
    if (!assigned || assigned.type !== "conversation.assigned") throw new Error("no assignment in the golden frames");
    const mine = { ...assigned, data: { ...assigned.data, conversation: { ...assigned.data.conversation, assignee: { id: "me", name: "Me" } } } };
    for (const key of [routingKeys.me, routingKeys.agents, routingKeys.assignments(mine.data.conversation.id), WALLBOARD_KEY]) h.queries.setQueryData(key, {});
    run(h, [mine]);
    expect(h.soon).toEqual(expect.arrayContaining(["routing-agents", "routing-me", "queues", "wallboard", "lists"]));
    expect(invalidated(h, routingKeys.me) && invalidated(h, routingKeys.assignments(mine.data.conversation.id)) && invalidated(h, WALLBOARD_KEY)).toBe(true);
  });

  it("a raised hand, a survey: that conversation's queries are fetched again", () => {
    const h = harness();
    h.queries.setQueryData(["help", "c1"], null);
    h.queries.setQueryData(["help", "c2"], null);
    h.queries.setQueryData(["csat", "c1", null], []);
    const help = { id: "h", raised_by_id: "u", note: null, raised_at: "2026-01-05T09:00:00Z", resolved_at: null, resolved_by_id: null };
    run(h, [event("conversation.help_raised", { conversation_id: "c1", help }), event("csat.answered", { csat: { conversation_id: "c1" } })]);
    expect(invalidated(h, ["help", "c1"])).toBe(true);
    expect(invalidated(h, ["help", "c2"])).toBe(false);
    expect(invalidated(h, ["csat", "c1", null])).toBe(true);
  });

  it("reports: fetched again once per burst; exports: patched in place", () => {
    const h = harness();
    h.queries.setQueryData(REPORTS_KEY, {});
    run(h, [event("reports.updated", {}), event("outcome_target.changed", {})]);
    expect(invalidated(h, REPORTS_KEY)).toBe(true);
    const old = { id: "e1", status: "running", created_at: "2026-01-05T09:00:00Z" };
    h.queries.setQueryData(EXPORTS_KEY, [old, { id: "e2", status: "done", created_at: "2026-01-04T09:00:00Z" }]);
    run(h, [event("report_export.updated", { ...old, status: "done" }), event("report_export.deleted", { id: "e2" })]);
    expect(h.queries.getQueryData(EXPORTS_KEY)).toEqual([{ ...old, status: "done" }]);
  });

  it("the organisation's overview after a load change and after (re)connecting", () => {
    const h = run(harness(), [frame({ type: "organisation.load_changed", data: { workspace_id: "w" } }), frame({ type: "hello", cursor: 3 })]);
    expect(h.soon).toEqual(["organisation", "organisation"]);
  });

  it("resync: everything is fetched again, but not what only the socket tells", () => {
    const h = harness();
    h.queries.setQueryData(["conversation", "c"], {});
    h.queries.setQueryData(liveKeys.reads, {});
    run(h, [frame({ type: "resync", cursor: 4 })]);
    expect(invalidated(h, ["conversation", "c"])).toBe(true);
    expect(invalidated(h, liveKeys.reads)).toBe(false);
  });
});
