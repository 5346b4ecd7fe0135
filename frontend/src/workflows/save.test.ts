import { describe, expect, it } from "vitest";
import { type SaveEvent, type SaveState, initialSave, saveReducer, shouldSave } from "./save";

const run = (events: SaveEvent[], from: SaveState = initialSave(3)) => events.reduce(saveReducer, from);

describe("saving the draft", () => {
  it("saves after an edit and keeps the version the server gave", () => {
    const state = run([{ type: "edit" }]);
    expect(shouldSave(state)).toBe(true);
    const saving = saveReducer(state, { type: "start" });
    expect(saving.status).toBe("saving");
    expect(shouldSave(saving)).toBe(false);
    expect(saveReducer(saving, { type: "saved", version: 4 })).toEqual({ status: "saved", version: 4, again: false, error: null });
  });

  it("saves once more when an edit came during a save", () => {
    const state = run([{ type: "edit" }, { type: "start" }, { type: "edit" }, { type: "saved", version: 4 }]);
    expect(state.status).toBe("pending");
    expect(state.version).toBe(4);
  });

  it("stops saving on a conflict until the newer draft is reloaded", () => {
    const state = run([{ type: "edit" }, { type: "start" }, { type: "conflict" }, { type: "edit" }, { type: "start" }]);
    expect(state.status).toBe("conflict");
    expect(shouldSave(state)).toBe(false);
    expect(saveReducer(state, { type: "reloaded", version: 9 })).toEqual(initialSave(9));
  });

  it("keeps a refused save's reason and tries again on the next edit", () => {
    const failed = run([{ type: "edit" }, { type: "start" }, { type: "failed", message: "bad step id" }]);
    expect(failed).toMatchObject({ status: "error", error: "bad step id", version: 3 });
    expect(saveReducer(failed, { type: "edit" })).toMatchObject({ status: "pending", error: null });
  });
});
