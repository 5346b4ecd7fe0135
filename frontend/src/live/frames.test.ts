import { describe, expect, it } from "vitest";
import { type Frame, nextCursor } from "./frames";

function run(frames: Frame[], from = 0): number {
  return frames.reduce(nextCursor, from);
}

const event = (id: number) => ({ type: "reports.updated", id, at: "2026-01-05T09:00:00Z", data: {} }) as Frame;

describe("the cursor a socket resumes from", () => {
  it("starts at the newest event when the first socket says hello", () => {
    expect(run([{ type: "hello", cursor: 40 }])).toBe(40);
  });

  it("stays at the last event applied when a resumed socket drops before its replay ends", () => {
    const before = run([{ type: "hello", cursor: 40 }, event(41), event(42)]);
    // The next socket says the log ends at 90, replays 43 and 44, and then the network goes.
    expect(run([{ type: "hello", cursor: 90 }, event(43), event(44)], before)).toBe(44);
  });

  it("moves to the end of the replay once the socket says ready", () => {
    const before = run([{ type: "hello", cursor: 40 }, event(41)]);
    expect(run([{ type: "hello", cursor: 90 }, event(60), { type: "ready", cursor: 90 }], before)).toBe(90);
  });

  it("takes the server's cursor on resync, even one behind the client's", () => {
    const before = run([{ type: "hello", cursor: 500 }]);
    // The log was reset: the server's newest event is older than what the client remembers.
    expect(run([{ type: "hello", cursor: 12 }, { type: "resync", cursor: 12 }], before)).toBe(12);
  });

  it("is not moved by signals", () => {
    expect(run([event(7), { type: "presence", data: { user_id: "u", online: true } }])).toBe(7);
  });
});
