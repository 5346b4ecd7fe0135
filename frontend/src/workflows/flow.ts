// What the canvas draws from a definition besides the steps: a link per connected outlet (and
// from the trigger to the first step), and where the trigger sits.
import { type Edge, MarkerType } from "@xyflow/react";
import { type Definition, type Position, outletsOf } from "./definition";
import { ROW, TRIGGER_POSITION } from "./layout";

export const TRIGGER_ID = "__trigger";

/** One link per outlet that leads to a step that exists (a dangling one is marked on its step
 * instead), and the trigger's link to the first step. */
export function flowEdges(definition: Definition): Edge[] {
  const ids = new Set(definition.steps.map((s) => s.id));
  const marker = { type: MarkerType.ArrowClosed };
  const edges: Edge[] = [];
  if (definition.start && ids.has(definition.start)) {
    edges.push({ id: `${TRIGGER_ID}:start`, source: TRIGGER_ID, sourceHandle: "start", target: definition.start, markerEnd: marker });
  }
  for (const step of definition.steps) {
    for (const outlet of outletsOf(step)) {
      const target = step.next[outlet];
      if (target && ids.has(target)) edges.push({ id: `${step.id}:${outlet}`, source: step.id, sourceHandle: outlet, target, markerEnd: marker });
    }
  }
  return edges;
}

/** Above the first step, one row over the top-most step. */
export function triggerPosition(definition: Definition): Position {
  const first = definition.steps.find((s) => s.id === definition.start) ?? definition.steps[0];
  if (!first) return TRIGGER_POSITION;
  const top = Math.min(...definition.steps.map((s) => s.position.y));
  return { x: first.position.x, y: top - ROW };
}
