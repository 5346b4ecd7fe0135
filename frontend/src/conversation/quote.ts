// The message an agent is quoting in a conversation's reply, shared by the bubbles (which set it)
// and the composer (which shows and sends it).
import { useSyncExternalStore } from "react";
import type { Message } from "../api/client";

let quoted: Record<string, Message | undefined> = {};
const listeners = new Set<() => void>();

export function quote(conversationId: string, message: Message | undefined): void {
  quoted = { ...quoted, [conversationId]: message };
  for (const listener of listeners) listener();
}

export function useQuoted(conversationId: string): Message | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => quoted[conversationId],
  );
}
