// What colour a wallboard number turns, and how long something has lasted, from the board's
// own clock (the server's time when it answered, moved on by this browser's monotonic clock).
export type Tone = "ok" | "warn" | "bad" | "none";

export function serviceTone(level: number | null | undefined, target: number): Tone {
  if (level === null || level === undefined) return "none";
  if (level >= target) return "ok";
  return level >= target - 0.1 ? "warn" : "bad";
}

/** A wait against the team's promised reply time: past it is bad, past half of it a warning. */
export function waitTone(seconds: number | null | undefined, threshold: number): Tone {
  if (seconds === null || seconds === undefined) return "none";
  if (seconds > threshold) return "bad";
  return seconds > threshold / 2 ? "warn" : "ok";
}

export function loadTone(open: number, capacity: number): Tone {
  if (capacity <= 0) return "none";
  if (open > capacity) return "bad";
  return open === capacity ? "warn" : "ok";
}

/** Seconds from `since` to the board's now, or null. */
export function elapsed(since: string | null | undefined, now: number): number | null {
  if (!since) return null;
  return Math.max(0, (now - Date.parse(since)) / 1000);
}

export const TONE_COLOR: Record<Tone, string> = { ok: "teal", warn: "yellow", bad: "red", none: "gray" };
