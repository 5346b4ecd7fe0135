// Replying in someone else's conversation: the app asks first.

/** Whether sending this reply should ask "Reply anyway?": only a reply (never a note) in a
 * conversation assigned to another member, unless already confirmed for that assignee. */
export function needsReplyConfirm(
  mode: "reply" | "note",
  assigneeId: string | null | undefined,
  me: string,
  confirmedFor: string | null,
): boolean {
  return mode === "reply" && Boolean(assigneeId) && assigneeId !== me && confirmedFor !== assigneeId;
}
