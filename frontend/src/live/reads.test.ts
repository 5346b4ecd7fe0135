import { describe, expect, it } from "vitest";
import events from "../../../tests/golden/events.json";
import { type Frame, type LiveState, type ReadMark, applyFrame, emptyState, furtherMark } from "./reducer";

// Written by the backend suite (tests/realtime/test_convergence.py) from real frames.
const golden = events as unknown as { frames: Frame[] };

function run(frames: Frame[], from: LiveState = emptyState): LiveState {
  return frames.reduce((s, f) => applyFrame(s, f, 0), from);
}

function moved(id: number, at: string, message: string, conversation = "c"): Frame {
  const mark: ReadMark = { conversation_id: conversation, last_read_at: at, last_read_message_id: message };
  return { id, type: "read_cursor.moved", data: { read_cursor: { ...mark, user_id: "u" } } };
}

describe("read cursors", () => {
  it("keeps the cursor the backend moved in the golden events", () => {
    const frames = golden.frames.filter((f) => f.type === "read_cursor.moved");
    expect(frames.length).toBeGreaterThan(0);
    const state = run(golden.frames);
    for (const frame of frames) {
      const mark = (frame.data as { read_cursor: ReadMark }).read_cursor;
      expect(state.reads[mark.conversation_id]?.last_read_at).toBe(mark.last_read_at);
    }
  });

  it("only moves forward, whatever order the events arrive in", () => {
    const early = moved(1, "2026-01-05T09:00:00Z", "01a2");
    const late = moved(2, "2026-01-05T09:05:00.5Z", "01a3");
    expect(run([early, late]).reads["c"]?.last_read_message_id).toBe("01a3");
    expect(run([late, early]).reads["c"]?.last_read_message_id).toBe("01a3");
    expect(run([late, early, late, early]).reads).toEqual(run([early, late]).reads);
  });

  it("compares times, not their spelling", () => {
    // "…00Z" sorts after "…00.5Z" as text, yet it is half a second earlier.
    const whole = moved(1, "2026-01-05T09:00:00Z", "01a2");
    const half = moved(2, "2026-01-05T09:00:00.5Z", "01a1");
    expect(run([half, whole]).reads["c"]?.last_read_at).toBe("2026-01-05T09:00:00.5Z");
  });

  it("breaks a tie on the time with the message id", () => {
    const a: ReadMark = { conversation_id: "c", last_read_at: "2026-01-05T09:00:00Z", last_read_message_id: "01a2" };
    const b: ReadMark = { ...a, last_read_message_id: "01a3" };
    expect(furtherMark(a, b)).toBe(b);
    expect(furtherMark(b, a)).toBe(b);
  });

  it("keeps each conversation's cursor apart", () => {
    const state = run([moved(1, "2026-01-05T09:00:00Z", "m1", "one"), moved(2, "2026-01-05T08:00:00Z", "m2", "two")]);
    expect(Object.keys(state.reads).sort()).toEqual(["one", "two"]);
  });
});

describe("saved views", () => {
  it("notes the latest saved view event, so the list is fetched again", () => {
    const state = run([
      { id: 4, type: "saved_view.created", data: { saved_view: { id: "v" } } },
      { id: 9, type: "saved_view.deleted", data: { saved_view_id: "v", reason: "deleted" } },
      { id: 6, type: "saved_view.updated", data: { saved_view: { id: "v" } } },
    ]);
    expect(state.viewsVersion).toBe(9);
    expect(run([{ id: 3, type: "conversation.updated", data: {} }]).viewsVersion).toBe(0);
  });
});
