// Entities in the query cache: whole entities with versions, so repeats and reordering are
// harmless. Frames and REST answers both go through these, so a screen shows the newest copy.
import { type InfiniteData, type QueryClient, type QueryKey, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Conversation, Message, Schemas } from "../api/client";
import { liveKeys } from "./keys";
import type { ReadMark } from "./frames";

type Contact = Schemas["ContactRead"];
type MessagePage = Schemas["Page_MessageRead_"];
type Versioned = { id: string; version: number };

/** What a conversation shows of its contact, with the contact's version. */
export interface LiveContact {
  id: string;
  version: number;
  name: string;
  avatar_url: string | null;
  email: string | null;
  phone: string | null;
}

/** `next` unless `current` is a newer copy of the same entity. */
export function newer<T extends Versioned>(current: T | undefined, next: T): T {
  return current && current.id === next.id && current.version > next.version ? current : next;
}

/** For `structuralSharing`: a REST answer older than what a frame already brought is kept out. */
export function keepNewer(current: unknown, next: unknown): unknown {
  const [a, b] = [current as Versioned | undefined, next as Versioned];
  return a && b && typeof a.version === "number" && typeof b.version === "number" ? newer(a, b) : next;
}

export function byTime(a: Message, b: Message): number {
  return a.created_at === b.created_at ? a.id.localeCompare(b.id) : a.created_at < b.created_at ? -1 : 1;
}

/** `items` with `more` merged in (the newer copy of each), oldest first. */
export function mergeMessages(items: readonly Message[], more: readonly Message[]): Message[] {
  const all = new Map(items.map((m) => [m.id, m]));
  for (const m of more) all.set(m.id, newer(all.get(m.id), m));
  return [...all.values()].sort(byTime);
}

/** For `structuralSharing` of a conversation's messages: messages a frame brought while the
 * page was on its way are kept, and no message goes back to an older version. */
export function keepNewerMessages(current: unknown, next: unknown): unknown {
  const [a, b] = [current as MessagePage | undefined, next as MessagePage];
  if (!a?.items || !b?.items) return next;
  return { ...b, items: mergeMessages(b.items, a.items) };
}

/** The conversation showing its contact as last known from `contact.updated`, if known. */
export function showingContact(c: Conversation, contacts: Record<string, LiveContact> | undefined): Conversation {
  const known = contacts?.[c.contact.id];
  if (!known) return c;
  const { name, avatar_url, email, phone } = known;
  if (c.contact.name === name && c.contact.avatar_url === avatar_url && c.contact.email === email && c.contact.phone === phone) return c;
  return { ...c, contact: { ...c.contact, name, avatar_url, email, phone } };
}

function patchList(data: unknown, change: (c: Conversation) => Conversation): unknown {
  const infinite = data as InfiniteData<{ items: Conversation[] }> | undefined;
  if (infinite?.pages) {
    let changed = false;
    const pages = infinite.pages.map((page) => {
      const items = page.items.map((c) => {
        const next = change(c);
        if (next !== c) changed = true;
        return next;
      });
      return changed ? { ...page, items } : page;
    });
    return changed ? { ...infinite, pages } : data;
  }
  const page = data as { items?: Conversation[] } | undefined;
  if (Array.isArray(page?.items)) return { ...page, items: page.items.map(change) };
  return data;
}

/** Every cached copy of these conversations (the open one, the inbox's pages) moves to the
 * newer version; lists are not reordered here (they are fetched again a beat later). */
export function rememberConversations(queries: QueryClient, conversations: readonly Conversation[]): void {
  const contacts = queries.getQueryData<Record<string, LiveContact>>(liveKeys.contacts);
  for (const raw of conversations) {
    const c = showingContact(raw, contacts);
    queries.setQueryData<Conversation>(["conversation", c.id], (old) => (old ? newer(old, c) : old));
    queries.setQueriesData({ queryKey: ["conversations"] }, (data: unknown) =>
      patchList(data, (known) => (known.id === c.id ? newer(known, c) : known)),
    );
  }
}

/** Messages into their conversation's history (if it is loaded), oldest first. */
export function rememberMessages(queries: QueryClient, messages: readonly Message[]): void {
  for (const m of messages) {
    queries.setQueryData<MessagePage>(["messages", m.conversation_id], (page) =>
      page ? { ...page, items: mergeMessages(page.items, [m]) } : page,
    );
  }
}

/** A contact changed: its conversations show its new name and picture (and keep their version). */
export function rememberContact(queries: QueryClient, contact: Contact): void {
  const known = queries.getQueryData<Record<string, LiveContact>>(liveKeys.contacts) ?? {};
  if ((known[contact.id]?.version ?? -1) >= contact.version) return;
  const { id, version, name, avatar_url, email, phone } = contact;
  const contacts = { ...known, [id]: { id, version, name, avatar_url: avatar_url ?? null, email: email ?? null, phone: phone ?? null } };
  queries.setQueryData(liveKeys.contacts, contacts);
  queries.setQueriesData({ queryKey: ["conversation"] }, (c: Conversation | undefined) => (c?.contact ? showingContact(c, contacts) : c));
  queries.setQueriesData({ queryKey: ["conversations"] }, (data: unknown) => patchList(data, (c) => showingContact(c, contacts)));
}

/** The mark furthest on: a cursor only moves forward, whatever order its events arrive in. */
export function furtherMark(current: ReadMark | undefined, mark: ReadMark): ReadMark {
  if (!current) return mark;
  const [a, b] = [Date.parse(current.last_read_at), Date.parse(mark.last_read_at)];
  if (a !== b) return a > b ? current : mark;
  return (current.last_read_message_id ?? "") >= (mark.last_read_message_id ?? "") ? current : mark;
}

/**
 * A value only the socket tells (`liveKeys`), read like any query. It has no server to fetch
 * from: its "fetch" answers what the cache holds, so invalidating everything keeps it.
 */
export function useLiveValue<T>(key: QueryKey, initial: T): T {
  const queries = useQueryClient();
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => queries.getQueryData<T>(key) ?? initial,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  return data ?? initial;
}
