// A conversation's SLA from `conversation.sla_updated` frames into every cached copy of it (the
// open conversation, the inbox's pages); lists filtered on SLA are fetched again.
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type { Conversation } from "../api/client";
import type { ConversationSla } from "./countdown";

type Pages = InfiniteData<{ items: Conversation[] }>;

function withSla(c: Conversation, id: string, sla: ConversationSla): Conversation {
  return c.id === id ? { ...c, sla } : c;
}

/** Patches the copies of conversation `id` (pure on the cache, so it can be tested). */
export function rememberSla(queries: QueryClient, id: string, sla: ConversationSla): void {
  queries.setQueryData<Conversation>(["conversation", id], (c) => (c ? { ...c, sla } : c));
  queries.setQueriesData<Pages>({ queryKey: ["conversations"] }, (data) =>
    data?.pages ? { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((c) => withSla(c, id, sla)) })) } : data,
  );
  void queries.invalidateQueries({
    queryKey: ["conversations"],
    predicate: (q) => q.queryKey.some((part) => typeof part === "object" && part !== null && "sla" in part && Boolean((part as { sla?: unknown }).sla)),
  });
}
