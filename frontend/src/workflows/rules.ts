// Conditions as JsonLogic, the rules format the engine evaluates too: the condition editor's rows
// (field, operator, value) joined by "and" or "or", to a rule and back, and a rule's result for a
// preview with the same library the tests check against the engine's cases.
import jsonLogic, { type RulesLogic } from "json-logic-js";

export const OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "contains", "not_contains", "one_of", "is_set", "is_empty"] as const;
export type Operator = (typeof OPERATORS)[number];
/** Operators that take no value. */
export const UNARY: ReadonlySet<Operator> = new Set(["is_set", "is_empty"]);

export type Value = string | number | boolean | null | Value[];

export interface Row {
  field: string;
  operator: Operator;
  value: Value;
}

export interface Condition {
  join: "and" | "or";
  rows: Row[];
}

export type Rule = RulesLogic | boolean;

const COMPARE: Partial<Record<Operator, string>> = { eq: "==", ne: "!=", gt: ">", gte: ">=", lt: "<", lte: "<=" };

function rowRule(row: Row): Record<string, unknown> {
  const field = { var: row.field };
  const compare = COMPARE[row.operator];
  if (compare) return { [compare]: [field, row.value] };
  switch (row.operator) {
    case "contains":
      return { in: [row.value, field] };
    case "not_contains":
      return { "!": [{ in: [row.value, field] }] };
    case "one_of":
      return { in: [field, Array.isArray(row.value) ? row.value : [row.value]] };
    case "is_set":
      return { "!!": [field] };
    default:
      return { "!": [field] };
  }
}

/** The JsonLogic rule of a condition: `{"and": [...]}` or `{"or": [...]}`. */
export function toRule(condition: Condition): Rule {
  return { [condition.join]: condition.rows.map(rowRule) } as unknown as RulesLogic;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyKey(value: unknown): [string, unknown] | null {
  if (!isObject(value)) return null;
  const entries = Object.entries(value);
  return entries.length === 1 ? (entries[0] as [string, unknown]) : null;
}

function fieldOf(value: unknown): string | null {
  const entry = onlyKey(value);
  return entry && entry[0] === "var" && typeof entry[1] === "string" ? entry[1] : null;
}

function unary(args: unknown): unknown {
  return Array.isArray(args) ? (args.length === 1 ? args[0] : undefined) : args;
}

function parseRow(rule: unknown): Row | null {
  const entry = onlyKey(rule);
  if (!entry) return null;
  const [op, args] = entry;
  const compare = Object.entries(COMPARE).find(([, symbol]) => symbol === op);
  if (compare && Array.isArray(args) && args.length === 2) {
    const field = fieldOf(args[0]);
    return field === null ? null : { field, operator: compare[0] as Operator, value: args[1] as Value };
  }
  if (op === "in" && Array.isArray(args) && args.length === 2) {
    const inside = fieldOf(args[1]);
    if (inside !== null) return { field: inside, operator: "contains", value: args[0] as Value };
    const field = fieldOf(args[0]);
    if (field !== null && Array.isArray(args[1])) return { field, operator: "one_of", value: args[1] as Value };
    return null;
  }
  if (op === "!!") {
    const field = fieldOf(unary(args));
    return field === null ? null : { field, operator: "is_set", value: null };
  }
  if (op === "!") {
    const inner = unary(args);
    const field = fieldOf(inner);
    if (field !== null) return { field, operator: "is_empty", value: null };
    const row = parseRow(inner);
    return row?.operator === "contains" ? { ...row, operator: "not_contains" } : null;
  }
  return null;
}

/** The editor's rows for a rule, or null when the rule is beyond them (then it is edited as JSON). */
export function fromRule(rule: unknown): Condition | null {
  const entry = onlyKey(rule);
  if (entry && (entry[0] === "and" || entry[0] === "or") && Array.isArray(entry[1])) {
    const rows = entry[1].map(parseRow);
    if (rows.every((r): r is Row => r !== null)) return { join: entry[0], rows };
    return null;
  }
  const row = parseRow(rule);
  return row ? { join: "and", rows: [row] } : null;
}

// The operations the engine accepts (core/workflows/conditions.py), and its limits.
const OPERATIONS = new Set([
  "var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or", "and",
  ">", ">=", "<", "<=", "max", "min", "+", "-", "*", "/", "%", "in", "cat", "substr", "merge",
]);
const MAX_RULE_CHARS = 10_000;
const MAX_DEPTH = 20;

/** Why the engine would refuse a rule, as `workflows.condition.ruleProblem.*` keys; empty when fine. */
export function ruleProblems(rule: unknown): string[] {
  if (JSON.stringify(rule ?? null).length > MAX_RULE_CHARS) return ["size"];
  const problems = new Set<string>();
  const walk = (node: unknown, depth: number) => {
    if (depth > MAX_DEPTH) problems.add("depth");
    else if (Array.isArray(node)) node.forEach((item) => walk(item, depth + 1));
    else if (isObject(node)) {
      const entry = onlyKey(node);
      if (!entry) problems.add("shape");
      else if (!OPERATIONS.has(entry[0])) problems.add("operation");
      else walk(entry[1], depth + 1);
    }
  };
  walk(rule, 0);
  return [...problems];
}

/** Whether a rule holds for the data, as the engine says: JsonLogic's truthiness, and false for a
 * rule it would refuse or that cannot be evaluated. */
export function matches(rule: unknown, data: unknown): boolean {
  if (ruleProblems(rule).length > 0) return false;
  try {
    return jsonLogic.truthy(jsonLogic.apply(rule as RulesLogic, data));
  } catch {
    return false;
  }
}

/** A row's value as typed in a text box: numbers for comparisons of numbers, lists split by comma. */
export function typedValue(operator: Operator, text: string, numeric: boolean): Value {
  if (UNARY.has(operator)) return null;
  if (operator === "one_of") {
    return text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => (numeric && Number.isFinite(Number(part)) ? Number(part) : part));
  }
  const ordered = operator === "gt" || operator === "gte" || operator === "lt" || operator === "lte";
  if ((numeric || ordered) && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  if (text === "true" || text === "false") return numeric ? text : text === "true";
  return text;
}

/** What a row's value shows in its text box. */
export function valueText(value: Value): string {
  if (value === null) return "";
  if (Array.isArray(value)) return value.map(String).join(", ");
  return String(value);
}

/** Why a condition cannot be saved, as `workflows.condition.problem.*` keys (one per row, or empty). */
export function conditionProblems(condition: Condition): (string | null)[] {
  return condition.rows.map((row) => {
    if (!row.field.trim()) return "field";
    if (UNARY.has(row.operator)) return null;
    if (row.operator === "one_of" && (!Array.isArray(row.value) || row.value.length === 0)) return "value";
    if (row.value === "" || row.value === null) return "value";
    return null;
  });
}
