// The server's clock as this browser sees it. Reply windows and waits are counted against the
// server's time, so a computer whose clock is minutes off still shows them right.

let offset = 0; // server's now − this browser's now, in milliseconds

/**
 * Learn the offset from a response's `Date` header (whole seconds), sent between `sentAt` and
 * `receivedAt` (this browser's clock). Differences within the header's resolution are noise.
 */
export function noteServerDate(header: string | null, sentAt: number, receivedAt: number): void {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  const estimate = server + 500 - (sentAt + receivedAt) / 2;
  offset = Math.abs(estimate) < 1500 ? 0 : Math.round(estimate);
}

/** Now, by the server's clock. */
export function serverNow(): number {
  return Date.now() + offset;
}
