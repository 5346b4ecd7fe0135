import { describe, expect, it } from "vitest";
import { asNumber, formatDuration, secondsSince, ticking } from "./format";

describe("durations", () => {
  it("shows seconds only under a minute", () => {
    expect(formatDuration(0, "en")).toBe("0 sec");
    expect(formatDuration(45.9, "en")).toBe("45 sec");
    expect(formatDuration(60, "en")).toBe("1 min");
    expect(formatDuration(12 * 60 + 59, "en")).toBe("12 min");
  });

  it("keeps the two largest units, and drops a zero second unit", () => {
    expect(formatDuration(3_600 + 5 * 60 + 7, "en")).toBe("1 hr 5 min");
    expect(formatDuration(2 * 3_600 + 30, "en")).toBe("2 hr");
    expect(formatDuration(2 * 86_400 + 3 * 3_600 + 59 * 60, "en")).toBe("2 days 3 hr");
    expect(formatDuration(86_400 + 5 * 60, "en")).toBe("1 day");
  });

  it("speaks the user's language", () => {
    expect(formatDuration(3_600 + 5 * 60, "pt-BR")).toBe("1 h 5 min");
    expect(formatDuration(2 * 86_400, "pt-BR")).toBe("2 dias");
    expect(formatDuration(90 * 60, "vi")).toBe("1 giờ 30 phút");
  });

  it("never goes negative, whatever the input", () => {
    expect(formatDuration(-30, "en")).toBe("0 sec");
    expect(formatDuration(Number.NaN, "en")).toBe("0 sec");
  });
});

describe("time since", () => {
  const now = Date.parse("2026-05-01T12:00:00Z");

  it("counts from a time to now, and treats a future or missing time as zero", () => {
    expect(secondsSince("2026-05-01T11:58:30Z", now)).toBe(90);
    expect(secondsSince("2026-05-01T12:05:00Z", now)).toBe(0);
    expect(secondsSince(null, now)).toBe(0);
    expect(secondsSince("not a date", now)).toBe(0);
  });

  it("brings a server-measured wait up to date with the local clock", () => {
    expect(ticking(120, now - 30_000, now)).toBe(150);
    // A local clock that went back in time never makes the wait shrink.
    expect(ticking(120, now + 5_000, now)).toBe(120);
  });
});

describe("number fields", () => {
  it("reads an empty field as no value (off, or the default), and digits as a number", () => {
    expect(asNumber("")).toBeNull();
    expect(asNumber("  ")).toBeNull();
    expect(asNumber("abc")).toBeNull();
    expect(asNumber("15")).toBe(15);
    expect(asNumber(2)).toBe(2);
  });
});
