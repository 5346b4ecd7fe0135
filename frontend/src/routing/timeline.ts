// An agent's state history as one band per day: which state, from when to when, set how.
import type { AgentStateName } from "./hooks";

export interface StateChange {
  state: AgentStateName;
  reason: string | null;
  source: string;
  at: string;
}

export interface Segment {
  /** null: nothing is recorded this far back. */
  state: AgentStateName | null;
  reason: string | null;
  source: string | null;
  from: number;
  to: number;
}

export interface Day {
  start: number;
  end: number;
  segments: Segment[];
}

const DAY = 86_400_000;

/** Local midnight of the day holding `ms` (days follow the viewer's clock and time zone). */
export function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

function nextMidnight(start: number): number {
  // Through noon, so a daylight-saving day of 23 or 25 hours still lands on its midnight.
  return startOfDay(start + DAY + DAY / 2);
}

/**
 * The last `days` days (today first) cut into segments by the state changes, which may come
 * in any order. Today ends at `now`; before the oldest change the state is unknown (null).
 */
export function dayBands(changes: readonly StateChange[], now: number, days: number): Day[] {
  const sorted = changes
    .map((c) => ({ ...c, ms: Date.parse(c.at) }))
    .filter((c) => !Number.isNaN(c.ms) && c.ms <= now)
    .sort((a, b) => a.ms - b.ms);
  const result: Day[] = [];
  let start = startOfDay(now);
  for (let i = 0; i < days; i++) {
    const end = nextMidnight(start);
    const stop = Math.min(end, now);
    const segments: Segment[] = [];
    let current: Segment = { state: null, reason: null, source: null, from: start, to: stop };
    for (const c of sorted) {
      if (c.ms <= start) current = { state: c.state, reason: c.reason, source: c.source, from: start, to: stop };
      else if (c.ms < stop) {
        if (c.ms > current.from) segments.push({ ...current, to: c.ms });
        current = { state: c.state, reason: c.reason, source: c.source, from: c.ms, to: stop };
      }
    }
    if (stop > current.from) segments.push(current);
    result.push({ start, end, segments });
    start = startOfDay(start - DAY / 2);
  }
  return result;
}

/** Where a segment sits in its day's band, in percent of the whole day. */
export function placement(day: Day, segment: Segment): { left: number; width: number } {
  const length = day.end - day.start;
  return {
    left: ((segment.from - day.start) / length) * 100,
    width: ((segment.to - segment.from) / length) * 100,
  };
}
