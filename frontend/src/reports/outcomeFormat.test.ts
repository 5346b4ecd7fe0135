import { describe, expect, it } from "vitest";
import { bands, heat, progress, weekdayNames, windowStart } from "./outcomeFormat";

describe("target windows", () => {
  it("starts a day target today, a week's on Monday and a month's on the first", () => {
    expect(windowStart("2026-01-07", "day")).toBe("2026-01-07");
    expect(windowStart("2026-01-07", "week")).toBe("2026-01-05");
    expect(windowStart("2026-01-05", "week")).toBe("2026-01-05");
    expect(windowStart("2026-01-04", "week")).toBe("2025-12-29");
    expect(windowStart("2026-03-31", "month")).toBe("2026-03-01");
  });
});

describe("progress", () => {
  it("is a capped percentage and says when the target is met", () => {
    expect(progress(5, 8)).toEqual({ percent: 63, met: false });
    expect(progress(8, 8)).toEqual({ percent: 100, met: true });
    expect(progress(12, 8)).toEqual({ percent: 100, met: true });
    expect(progress(0, 8)).toEqual({ percent: 0, met: false });
  });
});

describe("heat", () => {
  it("is nothing for no count and full for the busiest cell", () => {
    expect(heat(0, 10)).toBe(0);
    expect(heat(10, 10)).toBe(1);
    expect(heat(1, 10)).toBeCloseTo(0.235);
  });
});

describe("weekday names", () => {
  it("starts on Monday in each language", () => {
    expect(weekdayNames("en")[0]).toBe("Mon");
    expect(weekdayNames("en", "long")[6]).toBe("Sunday");
    expect(weekdayNames("pt-BR", "long")[0]).toMatch(/segunda/);
  });
});

describe("state bands", () => {
  it("places each interval along the day", () => {
    const day = ["2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"] as const;
    const laid = bands(
      [
        { state: "offline", start: "2026-01-05T00:00:00Z", end: "2026-01-05T06:00:00Z" },
        { state: "online", start: "2026-01-05T06:00:00Z", end: "2026-01-05T18:00:00Z" },
      ],
      ...day,
    );
    expect(laid.map((b) => [b.state, b.left, b.width])).toEqual([
      ["offline", 0, 25],
      ["online", 25, 50],
    ]);
  });
});
