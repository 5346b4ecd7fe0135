import { describe, expect, it } from "vitest";
import { type StateChange, dayBands, placement, startOfDay } from "./timeline";

const at = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const change = (state: StateChange["state"], ms: number, source = "manual", reason: string | null = null): StateChange => ({
  state,
  reason,
  source,
  at: new Date(ms).toISOString(),
});

describe("state history as day bands", () => {
  const now = at(2026, 3, 10, 15, 0);

  it("cuts today at each change and ends it now", () => {
    const changes = [change("online", at(2026, 3, 10, 9)), change("away", at(2026, 3, 10, 12), "supervisor", "Lunch")];
    const [today] = dayBands(changes, now, 1);
    expect(today?.start).toBe(at(2026, 3, 10));
    expect(today?.segments).toEqual([
      { state: null, reason: null, source: null, from: at(2026, 3, 10), to: at(2026, 3, 10, 9) },
      { state: "online", reason: null, source: "manual", from: at(2026, 3, 10, 9), to: at(2026, 3, 10, 12) },
      { state: "away", reason: "Lunch", source: "supervisor", from: at(2026, 3, 10, 12), to: now },
    ]);
  });

  it("carries a state over midnight, newest day first, whatever order the changes come in", () => {
    const changes = [change("offline", at(2026, 3, 10, 1), "inactivity"), change("online", at(2026, 3, 9, 22))];
    const [today, yesterday] = dayBands(changes, now, 2);
    expect(yesterday?.start).toBe(at(2026, 3, 9));
    expect(yesterday?.segments.map((s) => [s.state, s.from, s.to])).toEqual([
      [null, at(2026, 3, 9), at(2026, 3, 9, 22)],
      ["online", at(2026, 3, 9, 22), at(2026, 3, 10)],
    ]);
    expect(today?.segments.map((s) => [s.state, s.source, s.from, s.to])).toEqual([
      ["online", "manual", at(2026, 3, 10), at(2026, 3, 10, 1)],
      ["offline", "inactivity", at(2026, 3, 10, 1), now],
    ]);
  });

  it("shows a day with nothing recorded as unknown, and ignores changes after now", () => {
    const [today] = dayBands([change("busy", now + 60_000)], now, 1);
    expect(today?.segments).toEqual([{ state: null, reason: null, source: null, from: at(2026, 3, 10), to: now }]);
  });

  it("places segments by their share of the whole day", () => {
    const [today] = dayBands([change("online", at(2026, 3, 10, 6))], now, 1);
    const online = today?.segments[1];
    expect(today && online && placement(today, online)).toEqual({ left: 25, width: 37.5 });
  });

  it("starts days at local midnight", () => {
    expect(startOfDay(at(2026, 3, 10, 23, 59))).toBe(at(2026, 3, 10));
  });
});
