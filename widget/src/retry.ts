// When to try again: the socket after a drop, a message after a network error or a 429.

/** Reconnection delays: 0.5 s doubling to 30 s, with ±20 % jitter. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Tries of one message before it is shown as failed (the visitor can still retry by hand). */
export const SEND_ATTEMPTS = 4;

/**
 * How long to wait before sending a message again, or null when retrying cannot help.
 * `status` is the HTTP status, or 0 when the request never reached the server. Repeating a
 * send is safe: the server keeps one copy per client_message_id.
 */
export function retryDelay(
  status: number,
  retryAfterSeconds: number | null,
  attempt: number,
  random: () => number = Math.random,
): number | null {
  if (attempt + 1 >= SEND_ATTEMPTS) return null;
  // Retry-After is unreadable cross-origin unless exposed: then 2, 4, 8 s.
  if (status === 429) return Math.max(1, retryAfterSeconds ?? 2 ** (attempt + 1)) * 1000;
  if (status === 0 || status === 408 || status >= 500) return backoff(attempt, random);
  return null;
}
