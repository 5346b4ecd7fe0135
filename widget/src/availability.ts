// The header's line before an agent has the chat: closed and when it opens (in the visitor's
// own time), or the wait a chat started now can expect.
import type { Availability } from "./api";
import type { Key } from "./i18n";

type Translate = (key: Key, vars?: Record<string, string | number>) => string;

const DAY_MS = 86_400_000;

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** "today at 13:00", "tomorrow at 08:00", "Monday at 08:00" or "12 March at 08:00". */
export function openingLabel(iso: string, now: Date, lang: string, t: Translate): string {
  const at = new Date(iso);
  const time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY_MS);
  if (days <= 0) return t("atToday", { time });
  if (days === 1) return t("atTomorrow", { time });
  const format: Intl.DateTimeFormatOptions = days < 7 ? { weekday: "long" } : { day: "numeric", month: "long" };
  return t("atDay", { day: new Intl.DateTimeFormat(lang, format).format(at), time });
}

/** What the header says about the team while no agent has the conversation. */
export function availabilityLine(availability: Availability, now: Date, lang: string, t: Translate): string {
  if (!availability.open_now) {
    return availability.next_opening ? t("closedUntil", { when: openingLabel(availability.next_opening, now, lang, t) }) : t("closed");
  }
  const wait = availability.expected_wait_seconds;
  if (wait === null) return t("replyLater");
  if (wait < 120) return t("replySoon");
  return t("replyWait", { minutes: Math.ceil(wait / 60) });
}

/** When the line may change by itself: at the next opening, else in five minutes. */
export function refreshDelay(availability: Availability, now: Date): number {
  const soon = 5 * 60_000;
  if (availability.open_now || !availability.next_opening) return soon;
  return Math.max(1000, Math.min(soon, Date.parse(availability.next_opening) - now.getTime() + 1000));
}
