import { afterEach, describe, expect, it, vi } from "vitest";
import { noteServerDate, serverNow } from "./serverClock";

describe("the server's clock", () => {
  afterEach(() => {
    vi.useRealTimers();
    noteServerDate("Mon, 30 Nov 2026 10:00:00 GMT", Date.parse("2026-11-30T10:00:00.5Z"), Date.parse("2026-11-30T10:00:00.5Z"));
  });

  it("follows a browser clock that is minutes behind the server", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-11-30T09:55:00Z"));
    // Sent and answered at 09:54:59.8–09:55:00.2 by this clock; the server said 10:00:00.
    noteServerDate("Mon, 30 Nov 2026 10:00:00 GMT", Date.parse("2026-11-30T09:54:59.8Z"), Date.parse("2026-11-30T09:55:00.2Z"));
    expect(serverNow()).toBe(Date.parse("2026-11-30T10:00:00.5Z"));
  });

  it("ignores differences within the header's one-second resolution", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-11-30T10:00:00.9Z"));
    noteServerDate("Mon, 30 Nov 2026 10:00:00 GMT", Date.parse("2026-11-30T10:00:00.7Z"), Date.parse("2026-11-30T10:00:00.9Z"));
    expect(serverNow()).toBe(Date.now());
  });

  it("keeps what it knew when a response has no usable Date", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-11-30T09:55:00Z"));
    noteServerDate("Mon, 30 Nov 2026 10:00:00 GMT", Date.now(), Date.now());
    const known = serverNow() - Date.now();
    noteServerDate(null, Date.now(), Date.now());
    noteServerDate("not a date", Date.now(), Date.now());
    expect(serverNow() - Date.now()).toBe(known);
  });
});
