// Every Unicode emoji, from the emojibase-data set: CLDR names and keywords in the reader's
// language and in English, groups, order and skin tones. Each language is its own chunk, loaded
// the first time the picker opens (docs/decisions/0013-holidays-and-emoji-from-libraries.md).
import { rank } from "../components/search";

/** What the picker reads of emojibase-data's compact entries. */
export interface CompactEmoji {
  hexcode: string;
  label: string;
  unicode: string;
  tags?: string[];
  group?: number;
  order?: number;
  skins?: CompactEmoji[];
}

/** The picker's categories, in emojibase's order (its group 2, skin-tone components, is left out). */
export const EMOJI_GROUPS = [
  "smileys",
  "people",
  "animals",
  "food",
  "travel",
  "activities",
  "objects",
  "symbols",
  "flags",
] as const;
export type EmojiGroup = (typeof EMOJI_GROUPS)[number];
const GROUP_OF: Record<number, EmojiGroup> = {
  0: "smileys",
  1: "people",
  3: "animals",
  4: "food",
  5: "travel",
  6: "activities",
  7: "objects",
  8: "symbols",
  9: "flags",
};

export const SKIN_TONES = ["none", "light", "medium-light", "medium", "medium-dark", "dark"] as const;
export type SkinTone = (typeof SKIN_TONES)[number];
const TONE_CODES: Record<Exclude<SkinTone, "none">, string> = {
  light: "1F3FB",
  "medium-light": "1F3FC",
  medium: "1F3FD",
  "medium-dark": "1F3FE",
  dark: "1F3FF",
};
const ALL_TONE_CODES = new Set(Object.values(TONE_CODES));

export interface Emoji {
  id: string;
  char: string;
  group: EmojiGroup;
  /** The CLDR name in the reader's language. */
  name: string;
  /** Keywords in the reader's language, then the English name and keywords. */
  words: string[];
  /** The emoji with one skin tone, by tone; absent for emoji without tones. */
  tones?: Partial<Record<SkinTone, string>>;
}

function tonesOf(skins: CompactEmoji[] | undefined): Emoji["tones"] {
  if (!skins?.length) return undefined;
  const tones: Partial<Record<SkinTone, string>> = {};
  for (const [tone, code] of Object.entries(TONE_CODES) as [SkinTone, string][]) {
    // One tone for every person in it: "🤝" has mixed-tone variants too.
    const single = skins.find((s) => {
      const codes = s.hexcode.split("-").filter((part) => ALL_TONE_CODES.has(part));
      return codes.length > 0 && codes.every((part) => part === code);
    });
    if (single) tones[tone] = single.unicode;
  }
  return tones;
}

/** The picker's list from one language's data, with English names and keywords to search too. */
export function emojiFrom(data: readonly CompactEmoji[], english: readonly CompactEmoji[] = []): Emoji[] {
  const inEnglish = new Map(english.map((e) => [e.hexcode, e]));
  return data
    .filter((e) => e.group !== undefined && GROUP_OF[e.group] !== undefined)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((e) => {
      const en = inEnglish.get(e.hexcode);
      const words = [...(e.tags ?? []), ...(en && en !== e ? [en.label, ...(en.tags ?? [])] : [])];
      return { id: e.hexcode, char: e.unicode, group: GROUP_OF[e.group ?? 0] ?? "symbols", name: e.label, words, tones: tonesOf(e.skins) };
    });
}

type Loader = () => Promise<{ default: CompactEmoji[] }>;
const LOADERS: Record<string, Loader> = {
  en: () => import("emojibase-data/en/compact.json"),
  "pt-BR": () => import("emojibase-data/pt/compact.json"),
  vi: () => import("emojibase-data/vi/compact.json"),
};
const loaded = new Map<string, Promise<Emoji[]>>();

/** The emoji named in `language` (English when the app has no data for it), loaded once. */
export function loadEmoji(language: string): Promise<Emoji[]> {
  const code = language in LOADERS ? language : "en";
  let found = loaded.get(code);
  if (!found) {
    const own = (LOADERS[code] as Loader)();
    const english = code === "en" ? own : (LOADERS.en as Loader)();
    found = Promise.all([own, english]).then(([a, b]) => emojiFrom(a.default, b.default));
    loaded.set(code, found);
  }
  return found;
}

/** The character to insert: with the chosen skin tone where the emoji has one. */
export function withTone(emoji: Emoji, tone: SkinTone): string {
  return (tone !== "none" && emoji.tones?.[tone]) || emoji.char;
}

/** Search results are capped: a one-letter query matches hundreds. */
export const MAX_RESULTS = 160;

/**
 * A group's emoji for an empty query; otherwise the emoji of every group whose name or keywords
 * (in the reader's language or English, accents optional) match `query`, best first.
 */
export function findEmoji(query: string, emoji: readonly Emoji[], group: EmojiGroup = "smileys"): Emoji[] {
  if (!query.trim()) return emoji.filter((e) => e.group === group);
  const items = emoji.map((e) => ({ emoji: e, label: e.name, keywords: e.words }));
  return rank(query, items)
    .slice(0, MAX_RESULTS)
    .map((item) => item.emoji);
}

/** `text` with `insert` put in place of the selection [start, end), and where the caret goes after it. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length };
}
