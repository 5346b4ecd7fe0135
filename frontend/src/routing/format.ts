// Durations for routing screens: time in a state, waiting times, expected waits.

const UNITS: [string, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

function unit(value: number, name: string, language: string): string {
  return new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
}

/**
 * "45 sec", "12 min", "1 hr 5 min", "2 days 3 hr" in the user's language: at most the two
 * largest units, seconds only under a minute, never negative.
 */
export function formatDuration(seconds: number, language: string): string {
  const total = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  if (total < 60) return unit(total, "second", language);
  const parts: string[] = [];
  let rest = total;
  for (const [name, size] of UNITS) {
    const value = Math.floor(rest / size);
    if (value === 0) {
      if (parts.length > 0) break;
      continue;
    }
    parts.push(unit(value, name, language));
    rest -= value * size;
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}

/** Seconds from `iso` to `now` (milliseconds), never negative; 0 without a time. */
export function secondsSince(iso: string | null | undefined, now: number): number {
  if (!iso) return 0;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? 0 : Math.max(0, (now - at) / 1000);
}

/**
 * A server-measured duration brought up to date: what the server said when the data was
 * fetched, plus the time since (so a clock difference with the server does not matter).
 */
export function ticking(serverSeconds: number, fetchedAt: number, now: number): number {
  return Math.max(0, serverSeconds + Math.max(0, now - fetchedAt) / 1000);
}

/** A number input's value as a number, or null when it is empty. */
export function asNumber(value: string | number): number | null {
  if (typeof value === "number") return value;
  return value.trim() === "" || Number.isNaN(Number(value)) ? null : Number(value);
}
