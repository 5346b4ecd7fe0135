// The message an agent is quoting in a conversation's reply, shared by the bubbles (which set it)
// and the composer (which shows and sends it); held in the query cache like the live data.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Message } from "../api/client";
import { useLiveValue } from "../live/cache";
import { liveKeys } from "../live/keys";

/** `quote(conversationId, message)`: quote it in that conversation's reply (`undefined`: none). */
export function useQuote(): (conversationId: string, message: Message | undefined) => void {
  const queries = useQueryClient();
  return useCallback((conversationId, message) => queries.setQueryData(liveKeys.quote(conversationId), message ?? null), [queries]);
}

export function useQuoted(conversationId: string): Message | undefined {
  return useLiveValue<Message | null>(liveKeys.quote(conversationId), null) ?? undefined;
}
