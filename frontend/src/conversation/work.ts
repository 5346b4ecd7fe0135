// Handle time: the time a member actively works a conversation — it is on screen and they are
// writing a reply or a note, or have just sent one — told to the server in spans of at most a
// minute, and when they leave it (another conversation, another screen, the tab closing).
import { useEffect, useRef } from "react";
import { csrfToken } from "../api/client";

export const WORK_TICK_MS = 5_000;
export const WORK_FLUSH_SECONDS = 60;
/** Reading the answer and the next message after sending is work too, for this long. */
export const AFTER_SEND_MS = 30_000;

/** Counts active time between ticks; a gap longer than two ticks (a sleeping laptop, a
 * throttled background tab) counts as two ticks at most. Times come from a monotonic clock. */
export class WorkMeter {
  private last: number;
  pending = 0;

  constructor(now: number) {
    this.last = now;
  }

  tick(now: number, active: boolean): void {
    const elapsed = Math.min(Math.max(now - this.last, 0), 2 * WORK_TICK_MS);
    this.last = now;
    if (active) this.pending += elapsed / 1000;
  }

  /** The seconds to report now (whole tenths), or 0 when there is nothing worth reporting. */
  take(): number {
    const seconds = Math.floor(this.pending * 10) / 10;
    if (seconds < 1) return 0;
    this.pending = 0;
    return Math.min(seconds, 300);
  }
}

export function isActive(visible: boolean, drafting: boolean, sentAt: number | null, now: number): boolean {
  return visible && (drafting || (sentAt !== null && now - sentAt < AFTER_SEND_MS));
}

function report(conversationId: string, seconds: number): void {
  if (seconds <= 0) return;
  void fetch(`/api/v1/conversations/${encodeURIComponent(conversationId)}/work`, {
    method: "POST",
    credentials: "same-origin",
    keepalive: true, // still sent when the tab is closing
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify({ seconds }),
  }).catch(() => undefined);
}

/** Measure the member's active work on `conversationId` while the composer is shown. */
export function useWorkTime(conversationId: string, drafting: boolean, sentAt: number | null): void {
  const state = useRef({ drafting, sentAt });
  state.current = { drafting, sentAt };
  useEffect(() => {
    const meter = new WorkMeter(performance.now());
    const tick = () => {
      const now = performance.now();
      meter.tick(now, isActive(document.visibilityState === "visible", state.current.drafting, state.current.sentAt, now));
    };
    const flush = () => {
      tick();
      report(conversationId, meter.take());
    };
    const timer = setInterval(() => {
      tick();
      if (meter.pending >= WORK_FLUSH_SECONDS) report(conversationId, meter.take());
    }, WORK_TICK_MS);
    addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(timer);
      removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", tick);
      flush();
    };
  }, [conversationId]);
}
