import { describe, expect, it } from "vitest";
import { type ConversationSla, countdownAt, formatLeft } from "./countdown";

const sla = (over: Partial<ConversationSla> = {}): ConversationSla => ({
  policy_id: "p",
  status: "ok",
  due_at: "2026-01-05T09:10:00Z",
  at_risk_at: "2026-01-05T09:08:00Z",
  target: "first_response",
  targets: [],
  ...over,
});
const at = (time: string) => Date.parse(`2026-01-05T${time}Z`);

describe("countdownAt", () => {
  it("is in time, then at risk, then breached as the clock passes the moments", () => {
    expect(countdownAt(sla(), at("09:00:00"))).toEqual({ tone: "ok", seconds: 600, target: "first_response" });
    expect(countdownAt(sla(), at("09:08:00"))?.tone).toBe("at_risk");
    expect(countdownAt(sla(), at("09:10:00"))?.tone).toBe("breached");
    expect(countdownAt(sla(), at("09:11:30"))?.seconds).toBe(-90);
  });
  it("follows the server's status when it is further along", () => {
    expect(countdownAt(sla({ status: "breached" }), at("09:00:00"))?.tone).toBe("breached");
  });
  it("shows nothing without a running target", () => {
    expect(countdownAt(null, at("09:00:00"))).toBeNull();
    expect(countdownAt(sla({ due_at: null, target: null }), at("09:00:00"))).toBeNull();
  });
});

describe("formatLeft", () => {
  it("is short", () => {
    expect(formatLeft(245)).toBe("4:05");
    expect(formatLeft(3723)).toBe("1:02:03");
    expect(formatLeft(-90)).toBe("-1:30");
    expect(formatLeft(3 * 86400 + 4 * 3600 + 5)).toBe("3d 4h");
  });
});
