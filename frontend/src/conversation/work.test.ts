import { describe, expect, it } from "vitest";
import { AFTER_SEND_MS, WORK_TICK_MS, WorkMeter, isActive } from "./work";

describe("work meter", () => {
  it("counts only active time, in whole tenths of a second", () => {
    const meter = new WorkMeter(0);
    meter.tick(5_000, true);
    meter.tick(10_000, false);
    meter.tick(12_345, true);
    expect(meter.take()).toBe(7.3);
    expect(meter.take()).toBe(0);
  });

  it("counts a long gap (a sleeping laptop) as two ticks at most", () => {
    const meter = new WorkMeter(0);
    meter.tick(10 * 60_000, true);
    expect(meter.take()).toBe((2 * WORK_TICK_MS) / 1000);
  });

  it("keeps less than a second for later", () => {
    const meter = new WorkMeter(0);
    meter.tick(600, true);
    expect(meter.take()).toBe(0);
    meter.tick(1_200, true);
    expect(meter.take()).toBe(1.2);
  });
});

describe("active", () => {
  it("is writing or having just sent, on screen", () => {
    expect(isActive(true, true, null, 0)).toBe(true);
    expect(isActive(false, true, null, 0)).toBe(false);
    expect(isActive(true, false, 1_000, 1_000 + AFTER_SEND_MS - 1)).toBe(true);
    expect(isActive(true, false, 1_000, 1_000 + AFTER_SEND_MS)).toBe(false);
    expect(isActive(true, false, null, 0)).toBe(false);
  });
});
