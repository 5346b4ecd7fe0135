// Numbers of the reports as people read them: durations, shares and changes, in their language.

/** "45 s", "4 min", "1 h 30 min", "2 d 3 h"; an em dash when there is no figure. */
export function formatDuration(seconds: number | null | undefined, language: string): string {
  if (seconds === null || seconds === undefined) return "—";
  const unit = (value: number, name: "second" | "minute" | "hour" | "day") =>
    new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "narrow" }).format(value);
  // Rounded to the unit shown first, then split: 18 h 59 min 40 s reads "19 h", never "18 h 60 min".
  const total = Math.round(seconds);
  if (total < 60) return unit(total, "second");
  const totalMinutes = Math.round(total / 60);
  if (totalMinutes < 60) return unit(totalMinutes, "minute");
  if (totalMinutes < 24 * 60) {
    const hours = Math.floor(totalMinutes / 60);
    const minutes = totalMinutes % 60;
    return minutes ? `${unit(hours, "hour")} ${unit(minutes, "minute")}` : unit(hours, "hour");
  }
  const totalHours = Math.round(total / 3600);
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  return hours ? `${unit(days, "day")} ${unit(hours, "hour")}` : unit(days, "day");
}

/** A share (0..1) as a percentage with one decimal at most. */
export function formatShare(share: number | null | undefined, language: string): string {
  if (share === null || share === undefined) return "—";
  return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 }).format(share);
}

export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value);
}

export type Trend = "up" | "down" | "same" | "none";

/** How the figure moved against the period before: relative change and direction. */
export function change(
  current: number | null | undefined,
  previous: number | null | undefined,
): { trend: Trend; ratio: number | null } {
  if (current === null || current === undefined || previous === null || previous === undefined) {
    return { trend: "none", ratio: null };
  }
  if (current === previous) return { trend: "same", ratio: 0 };
  const ratio = previous === 0 ? null : (current - previous) / Math.abs(previous);
  return { trend: current > previous ? "up" : "down", ratio };
}

/** The browser's time zone, else UTC. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}
