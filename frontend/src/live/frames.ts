// The frames of the agent socket, typed from the server's models (`realtime/frames_models.py`,
// generated into the API schema with the REST client's types by `make api-types`).
import type { Schemas } from "../api/client";

export type Frame = Schemas["Frame"];
export type FrameType = Frame["type"];
export type FrameOf<T extends FrameType> = Extract<Frame, { type: T }>;
/** A frame from the event log: it has an id (the cursor to resume from). */
export type EventFrame = Extract<Frame, { id: number }>;
export type ReadMark = Pick<Schemas["ReadCursorRead"], "conversation_id" | "last_read_at" | "last_read_message_id">;

export function isEvent(frame: Frame): frame is EventFrame {
  return "id" in frame && typeof frame.id === "number";
}

/** The cursor a socket resumes from, after one more frame.
 *
 * It is the highest event id applied: a resuming socket's `hello` names the end of a replay not
 * yet received (its replay may still break off), so it does not move it; `ready` does, and
 * `resync` sets it to the server's (even one behind: the log was reset). */
export function nextCursor(cursor: number, frame: Frame): number {
  if (frame.type === "hello") return cursor > 0 ? cursor : frame.cursor;
  if (frame.type === "ready") return Math.max(cursor, frame.cursor);
  if (frame.type === "resync") return frame.cursor;
  return isEvent(frame) ? Math.max(cursor, frame.id) : cursor;
}
