// The live score of a review being written: the same rule as the server (core/quality/scoring.py).
// yes 1, partial 0.5, no 0; on the 1–5 scale (n − 1) / 4; "na" leaves the item out. A category's
// fraction is its items' mean; the score is Σ weight × fraction ÷ Σ weight over the categories
// with an applicable item, in percent. A critical item answered "no" (or 1) fails the review: 0.
import type { Schemas } from "../api/client";

export type Scorecard = Schemas["ScorecardRead"];
export type ItemKind = Schemas["ScorecardItemRead"]["kind"];
export type Answers = Record<string, string | undefined>;

export const VALUES: Record<ItemKind, readonly string[]> = {
  yes_no: ["yes", "no", "na"],
  yes_no_partial: ["yes", "partial", "no", "na"],
  scale: ["1", "2", "3", "4", "5", "na"],
};

export interface LiveScore {
  score: number | null;
  failed: boolean;
  answered: number;
  total: number;
}

export function fraction(kind: ItemKind, value: string): number | null {
  if (value === "na") return null;
  if (kind === "scale") return (Number(value) - 1) / 4;
  return value === "yes" ? 1 : value === "partial" ? 0.5 : 0;
}

export function liveScore(card: Pick<Scorecard, "categories">, answers: Answers): LiveScore {
  let points = 0;
  let max = 0;
  let failed = false;
  let answered = 0;
  let total = 0;
  for (const category of card.categories) {
    const fractions: number[] = [];
    for (const item of category.items) {
      total += 1;
      const value = answers[item.id];
      if (value === undefined) continue;
      answered += 1;
      if (item.is_critical && (value === "no" || value === "1")) failed = true;
      const f = fraction(item.kind, value);
      if (f !== null) fractions.push(f);
    }
    if (fractions.length === 0) continue;
    points += (category.weight * fractions.reduce((a, b) => a + b, 0)) / fractions.length;
    max += category.weight;
  }
  if (failed) return { score: 0, failed, answered, total };
  return { score: max ? Math.round((points / max) * 10000) / 100 : null, failed, answered, total };
}

/** Each category's share of the maximum score, in percent (the editor's preview). */
export function shares(weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + (b > 0 ? b : 0), 0);
  return weights.map((w) => (sum && w > 0 ? Math.round((w / sum) * 1000) / 10 : 0));
}

/** Move the element at `from` one place up (−1) or down (+1); out of range changes nothing. */
export function moved<T>(list: T[], from: number, step: -1 | 1): T[] {
  const to = from + step;
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  [next[from], next[to]] = [next[to] as T, next[from] as T];
  return next;
}
