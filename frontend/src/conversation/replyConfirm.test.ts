import { describe, expect, it } from "vitest";
import { needsReplyConfirm } from "./replyConfirm";

describe("replying in someone else's conversation", () => {
  it("asks first when another member has it", () => {
    expect(needsReplyConfirm("reply", "bruno", "me", null)).toBe(true);
  });

  it("does not ask for my own, an unassigned one, or a note", () => {
    expect(needsReplyConfirm("reply", "me", "me", null)).toBe(false);
    expect(needsReplyConfirm("reply", null, "me", null)).toBe(false);
    expect(needsReplyConfirm("note", "bruno", "me", null)).toBe(false);
  });

  it("asks once per assignee", () => {
    expect(needsReplyConfirm("reply", "bruno", "me", "bruno")).toBe(false);
    expect(needsReplyConfirm("reply", "carla", "me", "bruno")).toBe(true);
  });
});
