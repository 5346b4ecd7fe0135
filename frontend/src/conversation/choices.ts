// Reply buttons and lists in the composer: what stops a draft from being sent, against the
// limits the server states for the channel (and checks the same), and the `interactive` object
// the API takes.
import type { Schemas } from "../api/client";

export type ChoiceKind = "buttons" | "list";
export type ChoiceDraft = { key: number; title: string; description: string };
export type ChoicesDraft = {
  kind: ChoiceKind;
  choices: ChoiceDraft[];
  buttonLabel: string;
  sectionTitle: string;
};
export type ChoiceLimits = {
  body: number;
  buttons: number;
  buttonTitle: number;
  rows: number;
  rowTitle: number;
  rowDescription: number;
  buttonLabel: number;
  sectionTitle: number;
};
/** Why a draft cannot be sent: a `choices.problem.*` text and its values. */
export type Problem = { key: string; values?: Record<string, string | number> };
export type Interactive = Schemas["Interactive"];

/** The channel's limits as the server states them, or nothing where it cannot carry them. */
export function choiceLimits(stated: Schemas["ChoiceLimits"] | null | undefined): ChoiceLimits | undefined {
  if (!stated) return undefined;
  return {
    body: stated.body,
    buttons: stated.buttons,
    buttonTitle: stated.button_title,
    rows: stated.rows,
    rowTitle: stated.row_title,
    rowDescription: stated.row_description,
    buttonLabel: stated.button_label,
    sectionTitle: stated.section_title,
  };
}

/** Characters as the server counts them: code points of the trimmed text. */
export function textLength(text: string): number {
  return [...text.trim()].length;
}

let nextKey = 1;
export function newChoice(title = ""): ChoiceDraft {
  return { key: nextKey++, title, description: "" };
}

export function newDraft(kind: ChoiceKind = "buttons"): ChoicesDraft {
  return { kind, choices: [newChoice(), newChoice()], buttonLabel: "", sectionTitle: "" };
}

export function maxChoices(draft: ChoicesDraft, limits: ChoiceLimits): number {
  return draft.kind === "buttons" ? limits.buttons : limits.rows;
}

export function titleLimit(draft: ChoicesDraft, limits: ChoiceLimits): number {
  return draft.kind === "buttons" ? limits.buttonTitle : limits.rowTitle;
}

/** The list with the item at `from` moved to `to` (both within the list). */
export function moveItem<T>(items: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return items;
  const next = [...items];
  const [moved] = next.splice(from, 1) as [T];
  next.splice(to, 0, moved);
  return next;
}

/** An id made from a title ("Monday 10:00" → "monday-10-00"), made unique among `taken`. */
export function choiceId(title: string, taken: Set<string>): string {
  const base =
    title
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "choice";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Everything that stops the draft from being sent, in the order the panel shows the fields. */
export function problems(draft: ChoicesDraft, body: string, limits: ChoiceLimits): Problem[] {
  const found: Problem[] = [];
  const item = draft.kind === "buttons" ? "button" : "row";
  if (!body.trim()) found.push({ key: "body" });
  else if (textLength(body) > limits.body) found.push({ key: "bodyLong", values: { max: limits.body } });
  if (draft.kind === "list") {
    if (!draft.buttonLabel.trim()) found.push({ key: "label" });
    else if (textLength(draft.buttonLabel) > limits.buttonLabel) found.push({ key: "labelLong", values: { max: limits.buttonLabel } });
    if (textLength(draft.sectionTitle) > limits.sectionTitle) found.push({ key: "sectionLong", values: { max: limits.sectionTitle } });
  }
  if (draft.choices.length === 0) found.push({ key: "none" });
  if (draft.choices.length > maxChoices(draft, limits)) found.push({ key: "tooMany", values: { max: maxChoices(draft, limits) } });
  const seen = new Set<string>();
  draft.choices.forEach((c, i) => {
    const n = i + 1;
    const title = c.title.trim();
    if (!title) found.push({ key: `${item}Empty`, values: { n } });
    else if (textLength(title) > titleLimit(draft, limits)) found.push({ key: `${item}Long`, values: { n, max: titleLimit(draft, limits) } });
    else if (seen.has(title.toLocaleLowerCase())) found.push({ key: "sameTitle", values: { n } });
    seen.add(title.toLocaleLowerCase());
    if (draft.kind === "list" && textLength(c.description) > limits.rowDescription)
      found.push({ key: "descriptionLong", values: { n, max: limits.rowDescription } });
  });
  return found;
}

/** The API's `interactive` object for a draft (ids made from the titles). */
export function buildInteractive(draft: ChoicesDraft): Interactive {
  const taken = new Set<string>();
  if (draft.kind === "buttons") {
    return {
      type: "buttons",
      buttons: draft.choices.map((c) => ({ id: choiceId(c.title, taken), title: c.title.trim() })),
    };
  }
  const rows = draft.choices.map((c) => ({
    id: choiceId(c.title, taken),
    title: c.title.trim(),
    ...(c.description.trim() ? { description: c.description.trim() } : {}),
  }));
  const title = draft.sectionTitle.trim();
  return {
    type: "list",
    button_label: draft.buttonLabel.trim(),
    sections: [{ ...(title ? { title } : {}), rows }],
  };
}
