// What the composer and the counts need, without React: a template's variables, a preview of
// the message, the scheduled time as the API takes it, and the parts of a progress bar.
import type { Counts, Variable } from "./api";

const PLACEHOLDER = /{{\s*(\d+)\s*}}/g;

/** How many variables a template body has: its highest {{n}}. */
export function placeholderCount(body: string): number {
  let most = 0;
  for (const match of body.matchAll(PLACEHOLDER)) most = Math.max(most, Number(match[1]));
  return most;
}

/** `variables` resized to `count`, new ones taken from the contact's first name. */
export function fitVariables(variables: Variable[], count: number): Variable[] {
  const fitted = variables.slice(0, count);
  while (fitted.length < count) fitted.push({ source: "first_name", value: "", fallback: "" });
  return fitted;
}

/** The body as a sample contact would get it: each {{n}} named after where it comes from. */
export function previewText(body: string, variables: Variable[], describe: (v: Variable) => string): string {
  return body.replace(PLACEHOLDER, (whole, n: string) => {
    const variable = variables[Number(n) - 1];
    return variable ? `[${describe(variable)}]` : whole;
  });
}

/** A `datetime-local` input's value as the API takes a local time (seconds, no offset). */
export function localTime(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  return value.length === 16 ? `${value}:00` : value.slice(0, 19);
}

/** An instant (ISO) as a `datetime-local` input's value in `zone`: how a draft's scheduled time
 * reads where it was scheduled. */
export function inputTime(instant: string, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}`;
}

/** The zones the browser knows, the browser's own first. */
export function timeZones(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
  return [own, ...all.filter((z) => z !== own)];
}

export type Part = { key: "read" | "delivered" | "sent" | "failed" | "skipped" | "pending"; value: number; color: string };

/** The recipients as parts of one bar (percentages): read, delivered, only sent, failed,
 * skipped, waiting. Each message counts once, where it got furthest. */
export function progressParts(c: Counts): Part[] {
  const total = c.recipients || 1;
  const parts: Part[] = [
    { key: "read", value: c.read, color: "teal.7" },
    { key: "delivered", value: c.delivered - c.read, color: "teal.4" },
    { key: "sent", value: c.sent - c.delivered, color: "blue.4" },
    { key: "failed", value: c.failed, color: "red.6" },
    { key: "skipped", value: c.skipped + c.cancelled, color: "gray.5" },
    { key: "pending", value: c.pending, color: "gray.2" },
  ];
  return parts.filter((p) => p.value > 0).map((p) => ({ ...p, value: (p.value / total) * 100 }));
}
