import { describe, expect, it } from "vitest";
import { type SearchHit, hitPath } from "./open";
import { snippetText } from "./Snippet";

const hit: SearchHit = {
  kind: "message",
  message_id: "m-1",
  conversation_id: "c-1",
  conversation_status: "open",
  contact_id: "p-1",
  contact_name: "Erin",
  channel: null,
  created_at: "2026-11-05T09:00:00Z",
  snippet: [
    { text: "A minha ", hit: false },
    { text: "encomenda", hit: true },
    { text: "\n não  chegou", hit: false },
  ],
};

describe("search hits", () => {
  it("open their conversation at the message", () => {
    expect(hitPath(hit)).toBe("/conversations/c-1?message=m-1");
  });

  it("of a contact have no conversation of their own", () => {
    expect(hitPath({ ...hit, kind: "contact", message_id: null, conversation_id: null })).toBeNull();
  });

  it("read as one line of text in the palette", () => {
    expect(snippetText(hit.snippet)).toBe("A minha encomenda não chegou");
  });
});
