// What a merge keeps: the same rules as the server's merge (see docs/subsystems/contacts-and-languages.md).
import type { Schemas } from "../api/client";

type Contact = Schemas["ContactRead"];
type Identity = Schemas["IdentityRead"];
type Tag = Schemas["TagRead"];

export interface MergePreview {
  name: string;
  phone: string | null;
  email: string | null;
  owner: string | null;
  identities: Identity[];
  tags: Tag[];
}

/** The kept contact after `other` is merged into `keep`: keep's details win, empty ones are filled. */
export function mergePreview(keep: Contact, other: Contact): MergePreview {
  const identityKey = (i: Identity) => `${i.channel_id}:${i.provider_id}`;
  const identities = new Map(keep.identities.map((i) => [identityKey(i), i]));
  for (const i of other.identities) if (!identities.has(identityKey(i))) identities.set(identityKey(i), i);
  const tags = new Map(keep.tags.map((tag) => [tag.id, tag]));
  for (const tag of other.tags) if (!tags.has(tag.id)) tags.set(tag.id, tag);
  return {
    name: keep.name,
    phone: keep.phone ?? other.phone,
    email: keep.email ?? other.email,
    owner: (keep.owner ?? other.owner)?.name ?? null,
    identities: [...identities.values()],
    tags: [...tags.values()],
  };
}

/** Active members as select options, plus the current owner if they are no longer active. */
export function ownerOptions(
  members: readonly Schemas["MemberRead"][],
  owner: Schemas["OwnerRef"] | null,
): { value: string; label: string }[] {
  const options = members.filter((m) => m.is_active).map((m) => ({ value: m.user_id, label: m.name }));
  if (owner && !options.some((o) => o.value === owner.id)) options.push({ value: owner.id, label: owner.name });
  return options.sort((a, b) => a.label.localeCompare(b.label));
}
