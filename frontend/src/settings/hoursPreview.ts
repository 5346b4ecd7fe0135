// Whether a draft schedule is open now and when it next opens or closes, in its own wall-clock
// time, so the editor can show it while the owner types. The server's answer (with daylight-saving
// changes) is the reference; this agrees with it except inside an hour a clock change skips.

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface DraftPeriod {
  weekday: Weekday;
  start: string;
  end: string;
}

export interface DraftHoliday {
  date: string;
  name: string;
  is_recurring?: boolean;
}

export interface Draft {
  timezone: string;
  is_enabled: boolean;
  periods: DraftPeriod[];
  holidays: DraftHoliday[];
  holiday_country?: string | null;
  holiday_subdivision?: string | null;
  skipped_holidays?: string[];
  observed_holidays?: string[];
}

/** A country's holiday as the server lists it. */
export interface CountryHoliday {
  date: string;
  key: string;
  category: "public" | "optional";
}

/** Whether the draft closes on a holiday of its country: public unless skipped, optional if observed. */
export function closesOn(holiday: CountryHoliday, draft: Draft): boolean {
  if (holiday.category === "public") return !(draft.skipped_holidays ?? []).includes(holiday.key);
  return (draft.observed_holidays ?? []).includes(holiday.key);
}

/** The dates the draft's country closes it on, from the server's list of its holidays. */
export function countryClosedDates(draft: Draft, holidays: readonly CountryHoliday[]): Set<string> {
  if (!draft.holiday_country) return new Set();
  return new Set(holidays.filter((h) => closesOn(h, draft)).map((h) => h.date));
}

/** A local date and time in the schedule's zone; `weekday` 0 is Monday. */
export interface WallTime {
  date: string;
  minute: number;
  weekday: number;
}

export type Preview =
  | { state: "always" }
  | { state: "open"; closes: WallTime | null }
  | { state: "closed"; opens: WallTime | null };

const DAY_MS = 86_400_000;
const HORIZON_DAYS = 370;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutes(text: string): number | null {
  const match = TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** End minutes 1..1440: "00:00" and "24:00" are the next midnight. */
function endMinutes(text: string): number | null {
  if (text === "24:00") return 1440;
  const value = minutes(text);
  return value === null ? null : value || 1440;
}

function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOf(day: number): number {
  return (new Date(day * DAY_MS).getUTCDay() + 6) % 7;
}

/** The wall-clock date and minute of `now` in `timeZone`. */
export function wallClock(now: Date, timeZone: string): { date: string; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return { date: `${part("year")}-${part("month")}-${part("day")}`, minute: Number(part("hour")) * 60 + Number(part("minute")) };
}

type Segment = [number, number];

/** Open minutes of each weekday (overnight parts of the day before included), merged. */
function weekSegments(periods: DraftPeriod[]): Segment[][] {
  const days: Segment[][] = WEEKDAYS.map(() => []);
  for (const period of periods) {
    const weekday = WEEKDAYS.indexOf(period.weekday);
    const start = minutes(period.start);
    const end = endMinutes(period.end);
    if (weekday < 0 || start === null || end === null || end === start) continue;
    if (end > start) {
      days[weekday]?.push([start, end]);
    } else {
      days[weekday]?.push([start, 1440]);
      days[(weekday + 1) % 7]?.push([0, end]);
    }
  }
  return days.map((segments) => {
    const merged: Segment[] = [];
    for (const [start, end] of [...segments].sort((a, b) => a[0] - b[0])) {
      const last = merged.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    return merged;
  });
}

export function previewHours(draft: Draft | null, now: Date, countryClosed: ReadonlySet<string> = new Set()): Preview {
  if (!draft || !draft.is_enabled) return { state: "always" };
  let clock: { date: string; minute: number };
  try {
    clock = wallClock(now, draft.timezone);
  } catch {
    return { state: "closed", opens: null }; // an unknown time zone: the server will say so
  }
  const week = weekSegments(draft.periods);
  const fixed = new Set(draft.holidays.filter((h) => !h.is_recurring).map((h) => h.date));
  const yearly = new Set(draft.holidays.filter((h) => h.is_recurring).map((h) => h.date.slice(5)));
  const segments = (day: number): Segment[] => {
    const date = dateOf(day);
    if (fixed.has(date) || yearly.has(date.slice(5)) || countryClosed.has(date)) return [];
    return week[weekdayOf(day)] ?? [];
  };
  const at = (day: number, minute: number): WallTime => ({ date: dateOf(day), minute, weekday: weekdayOf(day) });
  const today = dayNumber(clock.date);
  const current = segments(today).find(([start, end]) => start <= clock.minute && clock.minute < end);
  if (current) {
    let [day, end] = [today, current[1]];
    while (end === 1440) {
      if (day >= today + HORIZON_DAYS) return { state: "open", closes: null };
      const next = segments(day + 1)[0];
      if (!next || next[0] !== 0) return { state: "open", closes: at(day + 1, 0) };
      [day, end] = [day + 1, next[1]];
    }
    return { state: "open", closes: at(day, end) };
  }
  for (let day = today; day < today + HORIZON_DAYS; day++) {
    const next = segments(day).find(([start]) => day > today || start >= clock.minute);
    if (next) return { state: "closed", opens: at(day, next[0]) };
  }
  return { state: "closed", opens: null };
}

/** "Monday 09:00" (with the date when it is a week or more away) in the user's language. */
export function formatWallTime(time: WallTime, language: string, now: Date, timeZone: string): string {
  const [y, m, d] = time.date.split("-").map(Number);
  const moment = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, Math.floor(time.minute / 60), time.minute % 60));
  let far = false;
  try {
    far = dayNumber(time.date) - dayNumber(wallClock(now, timeZone).date) >= 7;
  } catch {
    far = false;
  }
  return new Intl.DateTimeFormat(language, {
    timeZone: "UTC",
    weekday: "long",
    ...(far ? { day: "numeric", month: "long" } : {}),
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(moment);
}

/** A time of day ("HH:MM") in the user's language, e.g. "18:00" or "6:00 PM". */
export function formatTimeOfDay(text: string, language: string): string {
  const value = text === "24:00" ? 0 : (minutes(text) ?? 0);
  return new Intl.DateTimeFormat(language, { timeZone: "UTC", hour: "2-digit", minute: "2-digit" }).format(
    new Date(Date.UTC(2024, 0, 1, Math.floor(value / 60), value % 60)),
  );
}

/** Weekday names in the user's language, Monday first. */
export function weekdayNames(language: string): string[] {
  const format = new Intl.DateTimeFormat(language, { timeZone: "UTC", weekday: "long" });
  // 1 January 2024 was a Monday.
  return WEEKDAYS.map((_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
}
