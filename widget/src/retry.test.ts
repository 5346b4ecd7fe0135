import { describe, expect, it } from "vitest";
import { SEND_ATTEMPTS, backoff, retryDelay } from "./retry";

describe("backoff", () => {
  it("doubles from half a second and stops at thirty", () => {
    const fixed = () => 0.5;
    expect([0, 1, 2, 3].map((a) => backoff(a, fixed))).toEqual([500, 1000, 2000, 4000]);
    expect(backoff(20, fixed)).toBe(30_000);
  });

  it("stays within twenty per cent either way", () => {
    expect(backoff(1, () => 0)).toBe(800);
    expect(backoff(1, () => 1)).toBe(1200);
  });
});

describe("retryDelay", () => {
  const fixed = () => 0.5;
  it("retries network errors and server errors with backoff", () => {
    expect(retryDelay(0, null, 0, fixed)).toBe(500);
    expect(retryDelay(503, null, 1, fixed)).toBe(1000);
  });

  it("waits as long as a 429 asks", () => {
    expect(retryDelay(429, 3, 0, fixed)).toBe(3000);
    expect(retryDelay(429, null, 0, fixed)).toBe(2000);
    expect(retryDelay(429, null, 1, fixed)).toBe(4000);
  });

  it("does not retry what repeating cannot fix", () => {
    expect(retryDelay(422, null, 0, fixed)).toBeNull();
    expect(retryDelay(401, null, 0, fixed)).toBeNull();
  });

  it("gives up after the last attempt", () => {
    expect(retryDelay(0, null, SEND_ATTEMPTS - 2, fixed)).not.toBeNull();
    expect(retryDelay(0, null, SEND_ATTEMPTS - 1, fixed)).toBeNull();
  });
});
