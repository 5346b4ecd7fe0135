// A small layered layout for a definition that has no positions yet (a new template): the start in
// the first row, each step one row below the first step that leads to it, siblings side by side in
// outlet order; steps no path reaches go in a last row.
import { type Definition, type Position, type Step, outletsOf } from "./definition";

export const COLUMN = 260;
export const ROW = 170;
/** Room between a row's tallest node and the next row. */
const GAP = 60;
const NODE_WIDTH = 220;

/** About how tall a step's node is drawn: its head, two lines of text, a row per outlet. */
export function nodeHeight(step: Step): number {
  return 90 + outletsOf(step).length * 26;
}
/** Where the trigger's node sits: one row above the first step. */
export const TRIGGER_POSITION: Position = { x: 0, y: -ROW };

export function layeredPositions(definition: Definition): Map<string, Position> {
  const byId = new Map(definition.steps.map((s) => [s.id, s]));
  const rows: string[][] = [];
  const placed = new Set<string>();
  let current = definition.start && byId.has(definition.start) ? [definition.start] : [];
  current.forEach((id) => placed.add(id));
  while (current.length > 0) {
    rows.push(current);
    const following: string[] = [];
    for (const id of current) {
      const step = byId.get(id);
      if (!step) continue;
      const targets = outletsOf(step).map((o) => step.next[o]);
      if (step.type === "jump" && typeof step.config.target === "string") targets.push(step.config.target);
      for (const target of targets) {
        if (target && byId.has(target) && !placed.has(target)) {
          placed.add(target);
          following.push(target);
        }
      }
    }
    current = following;
  }
  const rest = definition.steps.map((s) => s.id).filter((id) => !placed.has(id));
  if (rest.length > 0) rows.push(rest);
  const positions = new Map<string, Position>();
  let top = 0;
  for (const row of rows) {
    const left = -((row.length - 1) * COLUMN) / 2;
    row.forEach((id, index) => positions.set(id, { x: left + index * COLUMN, y: top }));
    top += Math.max(ROW - GAP, ...row.map((id) => nodeHeight(byId.get(id) as Step))) + GAP;
  }
  return positions;
}

/** The definition with every step placed by `layeredPositions`. */
export function autoLayout(definition: Definition): Definition {
  const positions = layeredPositions(definition);
  return { ...definition, steps: definition.steps.map((s) => ({ ...s, position: positions.get(s.id) ?? s.position })) };
}

/** True when the steps were never placed (all at the origin) or two of them would be drawn one
 * over the other (a template's grid does not know how tall the builder draws each step). */
export function needsLayout(definition: Definition): boolean {
  const steps = definition.steps;
  if (steps.length > 1 && steps.every((s) => s.position.x === 0 && s.position.y === 0)) return true;
  return steps.some((a, i) =>
    steps.slice(i + 1).some(
      (b) =>
        Math.abs(a.position.x - b.position.x) < NODE_WIDTH &&
        (a.position.y <= b.position.y ? b.position.y - a.position.y < nodeHeight(a) : a.position.y - b.position.y < nodeHeight(b)),
    ),
  );
}
