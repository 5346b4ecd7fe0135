// The choices of a tag picker: the tags on offer, plus any archived tag already applied, which
// is no longer offered but must still show (and stay) where it was put.

interface TagLike {
  id: string;
  name: string;
}

export function tagOptions(offered: readonly TagLike[], applied: readonly TagLike[]): { value: string; label: string }[] {
  const ids = new Set(offered.map((tag) => tag.id));
  return [...offered, ...applied.filter((tag) => !ids.has(tag.id))].map((tag) => ({ value: tag.id, label: tag.name }));
}
