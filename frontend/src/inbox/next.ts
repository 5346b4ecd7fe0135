// Where the app goes after closing a conversation: the next one of the same view.

/** The conversation below `closed` in the view's list, else the one above, else none (the empty state).
 * A conversation that was not in the list (opened from a notification) leads to the list's first. */
export function nextAfterClose(ids: readonly string[], closed: string): string | null {
  const at = ids.indexOf(closed);
  if (at < 0) return ids.find((id) => id !== closed) ?? null;
  return ids[at + 1] ?? ids[at - 1] ?? null;
}

let shown: readonly string[] = [];

/** The inbox tells which conversations its current view lists, in order. */
export function setShownConversations(ids: readonly string[]): void {
  shown = ids;
}

export function shownConversations(): readonly string[] {
  return shown;
}
