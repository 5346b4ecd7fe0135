// An SLA countdown from a conversation's due time, worked out locally every second (no polling):
// green while in time, amber once at risk, red once past due (then it counts how long overdue).
import type { Schemas } from "../api/client";

export type ConversationSla = Schemas["ConversationSlaRead"];
export type Tone = "ok" | "at_risk" | "breached";

export interface Countdown {
  tone: Tone;
  /** Seconds left (negative: overdue by that much). */
  seconds: number;
  target: NonNullable<ConversationSla["target"]>;
}

/** The countdown at `now` (ms), or null when no target is running. */
export function countdownAt(sla: ConversationSla | null | undefined, now: number): Countdown | null {
  if (!sla?.due_at || !sla.target) return null;
  const due = Date.parse(sla.due_at);
  const risk = sla.at_risk_at ? Date.parse(sla.at_risk_at) : due;
  const seconds = Math.round((due - now) / 1000);
  const tone: Tone = now >= due || sla.status === "breached" ? "breached" : now >= risk || sla.status === "at_risk" ? "at_risk" : "ok";
  return { tone, seconds, target: sla.target };
}

/** "4:05", "1:02:03", "3d 4h": short enough for an inbox row. */
export function formatLeft(seconds: number): string {
  const s = Math.abs(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const sign = seconds < 0 ? "-" : "";
  if (days > 0) return `${sign}${days}d ${hours}h`;
  const two = (n: number) => String(n).padStart(2, "0");
  return hours > 0 ? `${sign}${hours}:${two(minutes)}:${two(rest)}` : `${sign}${minutes}:${two(rest)}`;
}

export const TONE_COLOURS: Record<Tone, string> = { ok: "teal", at_risk: "orange", breached: "red" };
