import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { mergePreview, ownerOptions } from "./mergePreview";

type Contact = Schemas["ContactRead"];

const tag = (id: string, name: string) => ({ id, name, color: "red", is_outcome: false, created_at: "2026-01-01T00:00:00Z" });
const identity = (channel_id: string, provider_id: string) => ({
  channel_id,
  channel_name: `Channel ${channel_id}`,
  channel_type: "whatsapp",
  profile_name: null,
  provider_id,
});

function contact(fields: Partial<Contact>): Contact {
  return {
    id: "c",
    name: "Someone",
    email: null,
    phone: null,
    language: null,
    language_source: null,
    avatar_url: null,
    lifecycle_stage: null,
    owner: null,
    notes: "",
    tags: [],
    fields: {},
    identities: [],
    version: 1,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...fields,
  };
}

describe("a merge's preview", () => {
  it("keeps the kept contact's details and fills the empty ones from the other", () => {
    const keep = contact({ name: "Erin", phone: "+60123456789", identities: [identity("w", "601")], tags: [tag("a", "vip")] });
    const other = contact({
      name: "Erin M.",
      phone: "+5511999999999",
      email: "erin@example.com",
      owner: { id: "u1", name: "Bob" },
      identities: [identity("m", "erin@example.com"), identity("w", "601")],
      tags: [tag("a", "vip"), tag("b", "lead")],
    });
    expect(mergePreview(keep, other)).toEqual({
      name: "Erin",
      phone: "+60123456789",
      email: "erin@example.com",
      owner: "Bob",
      identities: [identity("w", "601"), identity("m", "erin@example.com")],
      tags: [tag("a", "vip"), tag("b", "lead")],
    });
  });

  it("keeps the kept contact's owner when both have one", () => {
    const keep = contact({ owner: { id: "u1", name: "Bob" } });
    const other = contact({ owner: { id: "u2", name: "Carol" } });
    expect(mergePreview(keep, other).owner).toBe("Bob");
    expect(mergePreview(contact({}), contact({})).owner).toBeNull();
  });
});

describe("an owner's choices", () => {
  const member = (user_id: string, name: string, is_active: boolean) =>
    ({ user_id, name, is_active }) as Schemas["MemberRead"];

  it("offers active members by name and keeps a deactivated current owner", () => {
    const members = [member("b", "Bob", true), member("a", "Alice", true), member("z", "Zed", false)];
    expect(ownerOptions(members, null)).toEqual([
      { value: "a", label: "Alice" },
      { value: "b", label: "Bob" },
    ]);
    expect(ownerOptions(members, { id: "z", name: "Zed" }).map((o) => o.value)).toEqual(["a", "b", "z"]);
    expect(ownerOptions(members, { id: "b", name: "Bob" })).toHaveLength(2);
  });
});
