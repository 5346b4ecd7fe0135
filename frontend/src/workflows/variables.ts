// Variables in a step's texts: "{{contact.name}}" put where the cursor is, and the references a
// text makes that the catalogue does not know (shown under the field before publishing).

export interface Variable {
  key: string;
  label: string;
  group: string;
  type: string;
}

const REFERENCE = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The key written in a text: `contact.name` → `{{contact.name}}`; a key given braced stays so. */
export function placeholder(key: string): string {
  return key.startsWith("{{") ? key : `{{${key}}}`;
}

/** The text with the variable inserted over the selection [start, end), and the cursor after it. */
export function insertVariable(text: string, start: number, end: number, key: string): { text: string; cursor: number } {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  const inserted = placeholder(key);
  return { text: text.slice(0, from) + inserted + text.slice(to), cursor: from + inserted.length };
}

/** The variable keys a text refers to, in order, each once. */
export function references(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((m) => m[1] as string))];
}

/** Keys referred to that the catalogue does not know; step-made variables (`vars.*`) and a
 * contact's custom fields (`contact.fields.*`) are always allowed. */
export function unknownReferences(text: string, catalogue: readonly Variable[]): string[] {
  const known = new Set(catalogue.map((v) => v.key.replace(/^\{\{\s*|\s*\}\}$/g, "")));
  return references(text).filter((key) => !known.has(key) && !key.startsWith("vars.") && !key.startsWith("contact.fields."));
}

/** The catalogue grouped for a picker, groups in first-seen order. */
export function groupVariables(catalogue: readonly Variable[]): { group: string; items: { value: string; label: string }[] }[] {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const v of catalogue) {
    const key = v.key.replace(/^\{\{\s*|\s*\}\}$/g, "");
    groups.set(v.group, [...(groups.get(v.group) ?? []), { value: key, label: `${v.label} · ${key}` }]);
  }
  return [...groups].map(([group, items]) => ({ group, items }));
}

/** Sample data for a condition's preview: every catalogue key set to an example of its type. */
export function sampleData(catalogue: readonly Variable[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const v of catalogue) {
    const path = v.key.replace(/^\{\{\s*|\s*\}\}$/g, "").split(".");
    let node = data;
    path.slice(0, -1).forEach((part) => {
      if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    });
    const last = path.at(-1) as string;
    node[last] = v.type === "number" ? 0 : v.type === "boolean" ? false : v.type === "list" ? [] : "";
  }
  return data;
}
