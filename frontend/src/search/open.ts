// Where a hit leads: a message or note opens its conversation at it; a contact opens their
// latest conversation.
import { api, unwrap } from "../api/client";
import type { Schemas } from "../api/client";

export type SearchHit = Schemas["SearchResultRead"];

export function hitPath(hit: SearchHit): string | null {
  if (!hit.conversation_id) return null;
  const at = hit.message_id ? `?message=${encodeURIComponent(hit.message_id)}` : "";
  return `/conversations/${hit.conversation_id}${at}`;
}

export async function openHit(hit: SearchHit, navigate: (path: string) => void): Promise<boolean> {
  const path = hitPath(hit);
  if (path) {
    navigate(path);
    return true;
  }
  const latest = await unwrap(api.GET("/api/v1/conversations", { params: { query: { contact_id: hit.contact_id, limit: 1 } } }));
  const first = latest.items[0];
  if (first) navigate(`/conversations/${first.id}`);
  return Boolean(first);
}
