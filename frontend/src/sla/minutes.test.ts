import { describe, expect, it } from "vitest";
import { toAmount, toMinutes } from "./minutes";

describe("targets in minutes or hours", () => {
  it("shows whole hours as hours, the rest as minutes", () => {
    expect(toAmount(120)).toEqual({ value: 2, unit: "hours" });
    expect(toAmount(90)).toEqual({ value: 90, unit: "minutes" });
    expect(toAmount(null)).toEqual({ value: "", unit: "minutes" });
  });
  it("stores minutes, nothing for an empty or zero amount", () => {
    expect(toMinutes({ value: 1.5, unit: "hours" })).toBe(90);
    expect(toMinutes({ value: 15, unit: "minutes" })).toBe(15);
    expect(toMinutes({ value: "", unit: "hours" })).toBeNull();
    expect(toMinutes({ value: 0, unit: "minutes" })).toBeNull();
  });
});
