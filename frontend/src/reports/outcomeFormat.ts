// Helpers of the outcomes and activity reports: target windows, progress, heat and state bands.

export type TargetPeriod = "day" | "week" | "month";

function parse(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first day (YYYY-MM-DD) of the day, ISO week (from Monday) or month that holds `today`. */
export function windowStart(today: string, period: TargetPeriod): string {
  const date = parse(today);
  if (period === "week") date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  if (period === "month") date.setUTCDate(1);
  return iso(date);
}

/** How far a count is towards its target, 0–100 (capped), and whether it is met. */
export function progress(count: number, target: number): { percent: number; met: boolean } {
  if (target <= 0) return { percent: 100, met: true };
  return { percent: Math.min(100, Math.round((count / target) * 100)), met: count >= target };
}

/** A cell's heat, 0 (none) to 1 (the busiest cell); a light floor keeps any count visible. */
export function heat(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return 0.15 + 0.85 * (count / max);
}

/** The weekday names of a language, Monday first (2026-01-05 was a Monday). */
export function weekdayNames(language: string, style: "short" | "long" = "short"): string[] {
  const format = new Intl.DateTimeFormat(language, { weekday: style, timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2026, 0, 5 + i))));
}

export interface Band {
  state: string;
  start: string;
  end: string;
  left: number;
  width: number;
}

/** State intervals laid out along [start, end) of the day: left and width in percent. */
export function bands(
  intervals: { state: string; start: string; end: string }[],
  dayStart: string,
  dayEnd: string,
): Band[] {
  const from = Date.parse(dayStart);
  const span = Math.max(1, Date.parse(dayEnd) - from);
  return intervals.map((i) => {
    const left = ((Date.parse(i.start) - from) / span) * 100;
    const width = ((Date.parse(i.end) - Date.parse(i.start)) / span) * 100;
    return { ...i, left: Math.max(0, left), width: Math.max(0, width) };
  });
}
