import { describe, expect, it } from "vitest";
import { type Frame, type LiveState, applyFrame, emptyState } from "./reducer";

function run(frames: Frame[], from: LiveState = emptyState): LiveState {
  return frames.reduce((s, f) => applyFrame(s, f, 0), from);
}

const event = (id: number): Frame => ({ type: "note.created", id, data: {} });

describe("the cursor a socket resumes from", () => {
  it("starts at the newest event when the first socket says hello", () => {
    expect(run([{ type: "hello", cursor: 40 }]).cursor).toBe(40);
  });

  it("stays at the last event applied when a resumed socket drops before its replay ends", () => {
    const before = run([{ type: "hello", cursor: 40 }, event(41), event(42)]);
    // The next socket says the log ends at 90, replays 43 and 44, and then the network goes.
    const dropped = run([{ type: "hello", cursor: 90 }, event(43), event(44)], before);
    expect(dropped.cursor).toBe(44);
  });

  it("moves to the end of the replay once the socket says ready", () => {
    const before = run([{ type: "hello", cursor: 40 }, event(41)]);
    expect(run([{ type: "hello", cursor: 90 }, event(60), { type: "ready", cursor: 90 }], before).cursor).toBe(90);
  });

  it("takes the server's cursor on resync, even one behind the client's", () => {
    const before = run([{ type: "hello", cursor: 500 }]);
    // The log was reset: the server's newest event is older than what the client remembers.
    expect(run([{ type: "hello", cursor: 12 }, { type: "resync", cursor: 12 }], before).cursor).toBe(12);
  });
});
