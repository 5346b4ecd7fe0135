import { describe, expect, it } from "vitest";
import { elapsed, loadTone, serviceTone, waitTone } from "./board";

describe("wallboard tones", () => {
  it("colours the service level against the target", () => {
    expect(serviceTone(0.85, 0.8)).toBe("ok");
    expect(serviceTone(0.8, 0.8)).toBe("ok");
    expect(serviceTone(0.75, 0.8)).toBe("warn");
    expect(serviceTone(0.5, 0.8)).toBe("bad");
    expect(serviceTone(null, 0.8)).toBe("none");
  });

  it("colours a wait against the promised reply time", () => {
    expect(waitTone(100, 300)).toBe("ok");
    expect(waitTone(200, 300)).toBe("warn");
    expect(waitTone(301, 300)).toBe("bad");
    expect(waitTone(null, 300)).toBe("none");
  });

  it("colours an agent's load against their capacity", () => {
    expect(loadTone(1, 3)).toBe("ok");
    expect(loadTone(3, 3)).toBe("warn");
    expect(loadTone(4, 3)).toBe("bad");
  });

  it("measures from a moment to the board's now", () => {
    expect(elapsed("2026-01-05T19:30:00Z", Date.parse("2026-01-05T20:00:00Z"))).toBe(1800);
    expect(elapsed(null, 0)).toBeNull();
  });
});
