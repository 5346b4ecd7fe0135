// Matching what a person types against names in any of the app's languages, accents optional.

/** Lower case without accents ("Cười" → "cuoi", "Ação" → "acao"), spaces collapsed. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

export interface Searchable {
  /** What is shown; matches here count most. */
  label: string;
  /** Other words that should find it (synonyms, the text in another language, a phone number). */
  keywords?: readonly string[];
}

/** How well one folded word matches a folded text: 0 when it does not. */
function wordScore(word: string, text: string): number {
  if (!text) return 0;
  if (text === word) return 100;
  if (text.startsWith(word)) return 80;
  if (text.split(/[\s,.:;/·()@+-]+/).some((part) => part.startsWith(word))) return 60;
  if (text.includes(word)) return 35;
  return 0;
}

/** Letters of `word` in order inside `text` ("asgn" in "assign"): a weak match for typos. */
function inOrder(word: string, text: string): boolean {
  let at = 0;
  for (const letter of word) {
    at = text.indexOf(letter, at);
    if (at < 0) return false;
    at += 1;
  }
  return true;
}

/**
 * A score for `item` against `query` (0 = no match). Every word of the query must match the
 * label or a keyword; the label weighs more, a whole-query prefix of the label most.
 */
export function score(query: string, item: Searchable): number {
  const q = fold(query);
  if (!q) return 1;
  const label = fold(item.label);
  const keywords = (item.keywords ?? []).map(fold);
  let total = label.startsWith(q) ? 50 : 0;
  for (const word of q.split(" ")) {
    const best = Math.max(wordScore(word, label) * 2, ...keywords.map((k) => wordScore(word, k)));
    if (best > 0) {
      total += best;
    } else if (word.length >= 3 && inOrder(word, label)) {
      total += 5;
    } else {
      return 0;
    }
  }
  return total;
}

/** The items that match `query`, best first; equal scores keep their given order. */
export function rank<T extends Searchable>(query: string, items: readonly T[], limit = Infinity): T[] {
  return items
    .map((item, index) => ({ item, index, score: score(query, item) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.item);
}
