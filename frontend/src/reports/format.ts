// Numbers of the reports as people read them: durations, shares and changes, in their language.

/** "45 s", "4 min", "1 h 30 min", "2 d 3 h"; an em dash when there is no figure. */
export function formatDuration(seconds: number | null | undefined, language: string): string {
  if (seconds === null || seconds === undefined) return "—";
  const unit = (value: number, name: "second" | "minute" | "hour" | "day") =>
    new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "narrow" }).format(value);
  const total = Math.round(seconds);
  if (total < 60) return unit(total, "second");
  if (total < 3600) return unit(Math.round(total / 60), "minute");
  if (total < 86_400) {
    const hours = Math.floor(total / 3600);
    const minutes = Math.round((total % 3600) / 60);
    return minutes ? `${unit(hours, "hour")} ${unit(minutes, "minute")}` : unit(hours, "hour");
  }
  const days = Math.floor(total / 86_400);
  const hours = Math.round((total % 86_400) / 3600);
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
