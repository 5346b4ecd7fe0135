import { describe, expect, it } from "vitest";
import type { Conversation, Message } from "../api/client";
import { newestInbound, unreadCount } from "./unread";
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
    expect(saved).toEqual({ statuses: ["pending"], channel_id: "ch", team_id: "tm", tag_id: "tg", assignee_id: "unassigned", priorities: ["urgent"] });
    expect(fromViewFilters(saved)).toEqual({ statuses: ["pending"], filters });
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

  it("counts what the server said when nothing moved since", () => {
    expect(unreadCount(conversation("2026-01-05T09:00:00Z"), { last_read_at: null, unread_count: 3 }, undefined, false)).toBe(3);
    expect(unreadCount(conversation("2026-01-05T09:00:00Z"), { last_read_at: "2026-01-05T09:00:00Z", unread_count: 0 }, undefined, false)).toBe(0);
  });

  it("is read once the caller's cursor passed the last customer message, here or in another tab", () => {
    const c = conversation("2026-01-05T09:00:00Z");
    expect(unreadCount(c, { last_read_at: null, unread_count: 2 }, "2026-01-05T09:00:00.5Z", false)).toBe(0);
  });

  it("is unread again when the customer writes after the cursor", () => {
    const c = conversation("2026-01-05T09:10:00Z");
    expect(unreadCount(c, { last_read_at: "2026-01-05T09:00:00Z", unread_count: 0 }, undefined, false)).toBe(1);
    expect(unreadCount(c, { last_read_at: "2026-01-05T09:00:00Z", unread_count: 0 }, "2026-01-05T09:05:00Z", false)).toBe(1);
  });

  it("is never unread while it is open on screen, nor without customer messages", () => {
    expect(unreadCount(conversation("2026-01-05T09:10:00Z"), { last_read_at: null, unread_count: 4 }, undefined, true)).toBe(0);
    expect(unreadCount(conversation(null), undefined, undefined, false)).toBe(0);
  });

  it("trusts the server for a message written in the same instant as the cursor", () => {
    const c = conversation("2026-01-05T09:00:00Z");
    const server = { last_read_at: "2026-01-05T09:00:00Z", unread_count: 1 };
    expect(unreadCount(c, server, "2026-01-05T09:00:00Z", false)).toBe(1);
  });

  it("compares times, not their spelling", () => {
    // As text "…00Z" sorts after "…00.5Z", yet the message came half a second before the cursor.
    const c = conversation("2026-01-05T09:00:00Z");
    expect(unreadCount(c, { last_read_at: "2026-01-05T09:00:00.5Z", unread_count: 0 }, undefined, false)).toBe(0);
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
