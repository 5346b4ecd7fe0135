// The graph checks a definition must pass to be published: the browser's copy of
// `graph_problems` in core/workflows/definition.py (same codes, same order), so the builder marks
// each fault on the canvas before the server is asked.
import { type Definition, type Step, outletsOf } from "./definition";

export type ProblemCode = "no_steps" | "duplicate_id" | "no_start" | "dangling_outlet" | "unknown_step" | "unknown_outlet" | "unreachable";

export interface Problem {
  code: ProblemCode | string;
  message: string;
  step_id?: string | null;
  outlet?: string | null;
}

/** The graph's faults: no start, duplicate ids, an outlet unconnected or pointing nowhere, a jump to
 * nowhere, a step no path reaches. Empty when the graph may be published. */
export function graphProblems(definition: Definition): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map<string, Step>();
  for (const step of definition.steps) {
    if (byId.has(step.id)) problems.push({ code: "duplicate_id", message: "two steps share an id", step_id: step.id });
    byId.set(step.id, step);
  }
  if (definition.steps.length === 0) return [{ code: "no_steps", message: "the workflow has no step" }];
  if (definition.start === null || !byId.has(definition.start)) {
    problems.push({ code: "no_start", message: "the first step is not set" });
  }
  for (const step of definition.steps) problems.push(...outletProblems(step, byId));
  const reached = reachable(definition, byId);
  for (const step of definition.steps) {
    if (!reached.has(step.id)) problems.push({ code: "unreachable", message: "no path reaches this step", step_id: step.id });
  }
  return problems;
}

function outletProblems(step: Step, byId: Map<string, Step>): Problem[] {
  const problems: Problem[] = [];
  const outlets = outletsOf(step);
  for (const outlet of outlets) {
    const target = step.next[outlet];
    if (!target) {
      problems.push({ code: "dangling_outlet", message: "this branch leads nowhere", step_id: step.id, outlet });
    } else if (!byId.has(target)) {
      problems.push({ code: "unknown_step", message: "this branch leads to a step that does not exist", step_id: step.id, outlet });
    }
  }
  for (const outlet of Object.keys(step.next)) {
    if (!outlets.includes(outlet)) {
      problems.push({ code: "unknown_outlet", message: "this step has no such branch", step_id: step.id, outlet });
    }
  }
  const target = step.config.target;
  if (step.type === "jump" && !(typeof target === "string" && byId.has(target))) {
    problems.push({ code: "unknown_step", message: "the jump leads nowhere", step_id: step.id });
  }
  return problems;
}

function reachable(definition: Definition, byId: Map<string, Step>): Set<string> {
  const seen = new Set<string>();
  const todo: string[] = definition.start !== null && byId.has(definition.start) ? [definition.start] : [];
  while (todo.length > 0) {
    const current = todo.pop() as string;
    const step = byId.get(current);
    if (seen.has(current) || !step) continue;
    seen.add(current);
    todo.push(...Object.values(step.next));
    if (step.type === "jump" && typeof step.config.target === "string") todo.push(step.config.target);
  }
  return seen;
}

/** The problems grouped by step (a problem with no step is under ""), for marking the canvas. */
export function problemsByStep(problems: readonly Problem[]): Map<string, Problem[]> {
  const grouped = new Map<string, Problem[]>();
  for (const problem of problems) {
    const key = problem.step_id ?? "";
    grouped.set(key, [...(grouped.get(key) ?? []), problem]);
  }
  return grouped;
}
