import { describe, expect, it } from "vitest";
import type { TFunction } from "i18next";
import { type Notification, notificationTitle, unreadBadge } from "./text";

const t = ((key: string, values?: Record<string, string>) => `${key}${values ? JSON.stringify(values) : ""}`) as unknown as TFunction;

function notification(over: Partial<Notification>): Notification {
  return {
    id: "n",
    workspace_id: "ws",
    kind: "mention",
    actor: { id: "b", name: "Bob", avatar_url: null },
    conversation: { id: "c", contact_name: "Erin", channel_name: "WhatsApp", status: "open" },
    excerpt: null,
    created_at: "2026-12-06T10:00:00Z",
    read_at: null,
    ...over,
  };
}

describe("a notification's title", () => {
  it("names who mentioned or assigned, or routing", () => {
    expect(notificationTitle(notification({}), t)).toBe('notifications.mention{"name":"Bob"}');
    expect(notificationTitle(notification({ kind: "assigned", actor: { id: "d", name: "Dave", avatar_url: null } }), t)).toBe('notifications.assigned{"name":"Dave"}');
    expect(notificationTitle(notification({ kind: "assigned", actor: null }), t)).toBe("notifications.assignedByRouting");
  });

  it("says which SLA target is at risk or breached", () => {
    expect(notificationTitle(notification({ kind: "sla", actor: null, detail: "first_response:breached" }), t)).toBe(
      'sla.notice.breached{"target":"sla.target.first_response"}',
    );
    expect(notificationTitle(notification({ kind: "sla", actor: null, detail: null }), t)).toBe("notifications.kind.sla");
  });

  it("counts at most 9+ on the badge", () => {
    expect(unreadBadge(3)).toBe("3");
    expect(unreadBadge(12)).toBe("9+");
  });
});
