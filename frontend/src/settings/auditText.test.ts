import { describe, expect, it } from "vitest";
import { dayStart, detailText } from "./auditText";

describe("audit log filters", () => {
  it("takes a day as the moment it starts where the reader is, and the next day's start as its end", () => {
    expect(dayStart("")).toBeUndefined();
    expect(dayStart("2026-12-06")).toBe(new Date(2026, 11, 6).toISOString());
    expect(dayStart("2026-12-31", 1)).toBe(new Date(2027, 0, 1).toISOString());
  });

  it("writes the details on one line, leaving out what is empty", () => {
    expect(detailText({ email: "zoe@example.com", role: "agent", reason: null, channel_capacity: {} })).toBe(
      "email: zoe@example.com, role: agent",
    );
    expect(detailText({ added: ["a", "b"] })).toBe('added: ["a","b"]');
  });
});
