// Saving the draft as it is edited: a pause in editing saves it (with the workflow's version, so
// a save over someone else's is refused with 409 and never overwrites it), one save at a time.

export type SaveStatus = "saved" | "pending" | "saving" | "conflict" | "error";

export interface SaveState {
  status: SaveStatus;
  /** The workflow's version the next save sends (the one the server last gave). */
  version: number;
  /** An edit came while a save was on its way: save again once it lands. */
  again: boolean;
  error: string | null;
}

export type SaveEvent =
  | { type: "edit" }
  | { type: "start" }
  | { type: "saved"; version: number }
  | { type: "conflict" }
  | { type: "failed"; message: string }
  | { type: "reloaded"; version: number };

/** How long editing must pause before the draft is saved. */
export const SAVE_AFTER_MS = 800;

export function initialSave(version: number): SaveState {
  return { status: "saved", version, again: false, error: null };
}

export function saveReducer(state: SaveState, event: SaveEvent): SaveState {
  switch (event.type) {
    case "edit":
      // After a conflict nothing is saved until the newer draft is reloaded.
      if (state.status === "conflict") return state;
      if (state.status === "saving") return { ...state, again: true };
      return { ...state, status: "pending", error: null };
    case "start":
      return state.status === "pending" || state.status === "error" ? { ...state, status: "saving", again: false } : state;
    case "saved":
      return { ...state, status: state.again ? "pending" : "saved", version: event.version, again: false, error: null };
    case "conflict":
      return { ...state, status: "conflict", again: false };
    case "failed":
      return { ...state, status: "error", again: false, error: event.message };
    case "reloaded":
      return initialSave(event.version);
  }
}

/** Whether a save should be sent now. */
export function shouldSave(state: SaveState): boolean {
  return state.status === "pending";
}
