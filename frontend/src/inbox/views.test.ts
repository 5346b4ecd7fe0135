import { describe, expect, it } from "vitest";
import type { Conversation, Message } from "../api/client";
import type { ReadMark } from "../live/frames";
import { type ReadState, after, newestInbound, newestInboundPlaces, place, unreadCount } from "./unread";
import { fromViewFilters, listQuery, mayChange, sameFilters, toViewFilters, type SavedView } from "./views";

const ME = "u-me";

describe("saving the inbox as a view", () => {
  it("turns the built-in views into the assignee filter", () => {
    expect(toViewFilters("mine", ["open"], {}, ME).assignee_id).toBe(ME);
    expect(toViewFilters("unassigned", ["open"], {}, ME).assignee_id).toBe("unassigned");
    expect(toViewFilters("all", ["open"], {}, ME).assignee_id).toBeNull();
    // An assignee chosen in the filters wins over the view.
    expect(toViewFilters("mine", ["open"], { assignee_id: "u-bob" }, ME).assignee_id).toBe("u-bob");
  });

  it("keeps every filter and round-trips through a saved view", () => {
    const filters = { channel_id: "ch", team_id: "tm", tag_id: "tg", assignee_id: "unassigned", priorities: ["urgent" as const] };
    const saved = toViewFilters("all", ["pending"], filters, ME);
    expect(saved).toEqual({ statuses: ["pending"], channel_id: "ch", team_id: "tm", tag_id: "tg", assignee_id: "unassigned", priorities: ["urgent"], sla: null });
    expect(fromViewFilters(saved)).toEqual({ statuses: ["pending"], filters });
  });

  it("keeps the SLA filter through a saved view and the list's query", () => {
    const saved = toViewFilters("all", ["open"], { sla: "breached" }, "me");
    expect(saved.sla).toBe("breached");
    expect(fromViewFilters(saved).filters).toEqual({ sla: "breached" });
    expect(listQuery({ sla: "at_risk" }).sla).toBe("at_risk");
    expect(sameFilters(saved, { ...saved, sla: "at_risk" })).toBe(false);
  });

  it("shows a view without statuses as open conversations", () => {
    expect(fromViewFilters({}).statuses).toEqual(["open"]);
    expect(fromViewFilters({}).filters).toEqual({});
  });

  it("asks the list for every priority, or none", () => {
    expect(listQuery({ priorities: ["high", "urgent"] }).priority).toEqual(["high", "urgent"]);
    expect(listQuery({ priorities: [] }).priority).toBeUndefined();
    expect(listQuery({}).assignee_id).toBeUndefined();
  });
});

describe("comparing filters", () => {
  it("ignores order and fields left out", () => {
    expect(sameFilters({ statuses: ["open", "pending"], tag_id: null }, { statuses: ["pending", "open"] })).toBe(true);
    expect(sameFilters({}, { statuses: ["open"], priorities: [] })).toBe(true);
  });

  it("sees a changed filter", () => {
    expect(sameFilters({ statuses: ["open"] }, { statuses: ["closed"] })).toBe(false);
    expect(sameFilters({ channel_id: "a" }, { channel_id: "b" })).toBe(false);
    expect(sameFilters({ assignee_id: "unassigned" }, {})).toBe(false);
  });
});

describe("who may change a view", () => {
  const view = (shared: boolean, owner = ME) => ({ id: "v", name: "v", is_shared: shared, owner_id: owner }) as SavedView;
  it("lets the owner change a private view", () => {
    expect(mayChange(view(false), ME, "agent")).toBe(true);
    expect(mayChange(view(false, "u-other"), ME, "owner")).toBe(false);
  });
  it("keeps shared views to owners and managers", () => {
    expect(mayChange(view(true), ME, "agent")).toBe(false);
    expect(mayChange(view(true, "u-other"), ME, "manager")).toBe(true);
    expect(mayChange(view(true), ME, "viewer")).toBe(false);
  });
});

describe("unread markers", () => {
  const conversation = (lastInbound: string | null) => ({ id: "c", last_inbound_at: lastInbound }) as Conversation;
  const state = (at: string | null, id: string | null, count: number): ReadState => ({ last_read_at: at, last_read_message_id: id, unread_count: count });
  const mark = (at: string, id: string | null): ReadMark => ({ conversation_id: "c", last_read_at: at, last_read_message_id: id });
  const T = "2026-01-05T09:00:00Z";

  it("counts what the server said when nothing moved since", () => {
    expect(unreadCount(conversation(T), state(null, null, 3), undefined, false)).toBe(3);
    expect(unreadCount(conversation(T), state(T, "m1", 0), undefined, false)).toBe(0);
  });

  it("is read once the caller's cursor passed the last customer message, here or in another tab", () => {
    expect(unreadCount(conversation(T), state(null, null, 2), mark("2026-01-05T09:00:00.5Z", "m2"), false)).toBe(0);
  });

  it("is unread again when the customer writes after the cursor", () => {
    const c = conversation("2026-01-05T09:10:00Z");
    expect(unreadCount(c, state(T, "m1", 0), undefined, false)).toBe(1);
    expect(unreadCount(c, state(T, "m1", 0), mark("2026-01-05T09:05:00Z", "m2"), false)).toBe(1);
  });

  it("is never unread while it is open on screen, nor without customer messages", () => {
    expect(unreadCount(conversation("2026-01-05T09:10:00Z"), state(null, null, 4), undefined, true)).toBe(0);
    expect(unreadCount(conversation(null), undefined, undefined, false)).toBe(0);
  });

  it("orders messages of one instant by id, as the server does", () => {
    // The list was fetched after the customer's second message (m2) and before the caller read
    // it: the server counted 1 unread past m1. The cursor then moved to m2: read.
    const fetched = state(T, "m1", 1);
    expect(unreadCount(conversation(T), fetched, mark(T, "m2"), false, place(T, "m2"))).toBe(0);
    // A cursor that did not move past what was fetched changes nothing.
    expect(unreadCount(conversation(T), fetched, mark(T, "m1"), false, place(T, "m2"))).toBe(1);
  });

  it("sees a customer message that arrived live after the cursor, in the same instant", () => {
    expect(unreadCount(conversation(T), state(T, "m2", 0), mark(T, "m2"), false, place(T, "m3"))).toBe(1);
    expect(unreadCount(conversation(T), state(T, "m1", 0), mark(T, "m2"), false, place(T, "m3"))).toBe(1);
    expect(unreadCount(conversation(T), state(T, "m2", 0), undefined, false, place(T, "m2"))).toBe(0);
  });

  it("compares times, not their spelling", () => {
    // As text "…00Z" sorts after "…00.5Z", yet the message came half a second before the cursor.
    expect(unreadCount(conversation(T), state("2026-01-05T09:00:00.5Z", "m0", 0), undefined, false)).toBe(0);
  });

  it("finds each conversation's newest customer message among live ones", () => {
    const m = (id: string, conversation_id: string, direction: string, created_at = T) => ({ id, conversation_id, direction, created_at }) as Message;
    const places = newestInboundPlaces({
      a: m("m1", "c", "inbound"),
      b: m("m3", "c", "inbound"),
      c: m("m4", "c", "outbound"),
      d: m("m2", "d", "inbound", "2026-01-05T09:00:01Z"),
      e: m("m9", "d", "inbound"),
    });
    expect(places).toEqual({ c: place(T, "m3"), d: place("2026-01-05T09:00:01Z", "m2") });
    expect(after(place(T, "m2"), place(T))).toBe(true);
  });
});

describe("reading the open conversation", () => {
  it("reaches the newest message from the customer", () => {
    const m = (id: string, direction: string) => ({ id, direction }) as Message;
    expect(newestInbound([m("1", "inbound"), m("2", "inbound"), m("3", "outbound")])).toBe("2");
    expect(newestInbound([m("1", "outbound")])).toBeUndefined();
    expect(newestInbound([])).toBeUndefined();
  });
});
