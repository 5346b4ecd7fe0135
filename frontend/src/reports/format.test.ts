import { describe, expect, it } from "vitest";
import { change, formatDuration, formatShare } from "./format";

describe("report numbers", () => {
  it("reads durations at the scale they have", () => {
    expect(formatDuration(45, "en")).toBe("45s");
    expect(formatDuration(240, "en")).toBe("4m");
    expect(formatDuration(5400, "en")).toBe("1h 30m");
    expect(formatDuration(3600, "en")).toBe("1h");
    expect(formatDuration(2 * 86_400 + 3 * 3600, "en")).toBe("2d 3h");
    expect(formatDuration(null, "en")).toBe("—");
    // Rounding never shows 60 of a unit: it carries into the next one.
    expect(formatDuration(3590, "en")).toBe("1h");
    expect(formatDuration(18 * 3600 + 59 * 60 + 40, "en")).toBe("19h");
    expect(formatDuration(86_370, "en")).toBe("1d");
    expect(formatDuration(86_400 + 23 * 3600 + 50 * 60, "en")).toBe("2d");
  });

  it("writes shares in the user's language", () => {
    expect(formatShare(1 / 3, "en")).toBe("33.3%");
    expect(formatShare(0.4, "pt-BR")).toBe("40%");
    expect(formatShare(null, "vi")).toBe("—");
  });

  it("compares with the period before", () => {
    expect(change(4, 2)).toEqual({ trend: "up", ratio: 1 });
    expect(change(1, 4)).toEqual({ trend: "down", ratio: -0.75 });
    expect(change(3, 3)).toEqual({ trend: "same", ratio: 0 });
    expect(change(3, 0)).toEqual({ trend: "up", ratio: null });
    expect(change(null, 3)).toEqual({ trend: "none", ratio: null });
  });
});
