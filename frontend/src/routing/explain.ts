// Routing decisions in plain words: why a conversation went to someone, or waits in the queue.
import type { Schemas } from "../api/client";

export type Assignment = Schemas["AssignmentRead"];
import type { Translate } from "../i18n/translate";

export type { Translate };

export interface Candidate {
  userId: string;
  name: string;
  state: string;
  open: number;
  capacity: number;
  reason: string;
  /** The away reason the decision stored (older decisions have none). */
  stateReason: string | null;
  /** The contact's language when the team routed by language, and whether they speak it. */
  language: string | null;
  speaksLanguage: boolean | null;
}

export interface Context {
  /** The signed-in user: "you" instead of their name. */
  me: string;
  /** Member names by id, for people a decision does not name itself. */
  names: Record<string, string>;
  /** Away reasons of agents known to have been away since before the decision. */
  awayReasons: Record<string, string>;
  /** A language's name in the user's language ("vi" → "Vietnamese"); the code without it. */
  languageName?: (code: string) => string;
}

export interface Explanation {
  summary: string;
  others: string[];
}

// Reasons that made an agent ineligible, and reasons an eligible agent lost to another.
const SKIPPED = new Set(["cannot_take", "not_in_team", "busy", "away", "offline", "at_capacity", "at_channel_capacity"]);
const PASSED = new Set([
  "assigned_more_recently",
  "more_open_or_less_idle",
  "less_free_capacity_or_less_idle",
  "manual_strategy",
  "does_not_speak_language",
]);
const BY_RULE = new Set(["returning_contact", "contact_has_owner"]);
const STRATEGIES = new Set(["round_robin", "least_open", "capacity_share"]);
const RULES = new Set(["kept", "returning", "owner"]);

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** The candidates a decision stored, in a shape the app can rely on. */
export function candidatesOf(assignment: Assignment): Candidate[] {
  return assignment.candidates.map((c) => ({
    userId: String(c["user_id"] ?? ""),
    name: String(c["name"] ?? ""),
    state: String(c["state"] ?? ""),
    open: num(c["open"]),
    capacity: num(c["capacity"]),
    reason: String(c["reason"] ?? ""),
    stateReason: typeof c["state_reason"] === "string" && c["state_reason"] ? c["state_reason"] : null,
    language: typeof c["language"] === "string" && c["language"] ? c["language"] : null,
    speaksLanguage: typeof c["speaks_language"] === "boolean" ? c["speaks_language"] : null,
  }));
}

function languageOf(c: Candidate, ctx: Context): string {
  return c.language ? (ctx.languageName?.(c.language) ?? c.language) : "";
}

function why(c: Candidate, ctx: Context, t: Translate): string {
  if (c.reason === "does_not_speak_language") return t("languages.why.doesNotSpeak", { language: languageOf(c, ctx) });
  const awayReason = c.stateReason ?? ctx.awayReasons[c.userId];
  const reason = c.reason === "away" && awayReason ? "away_reason" : c.reason;
  return t(`routing.why.reasons.${reason}`, {
    open: c.open,
    capacity: c.capacity,
    free: Math.max(0, c.capacity - c.open),
    reason: awayReason ?? "",
  });
}

function summaryOf(a: Assignment, chosen: Candidate | undefined, ctx: Context, t: Translate): string {
  const you = a.user_id !== null && a.user_id === ctx.me;
  const who = you ? "you" : "other";
  const name = a.user_name ?? (a.user_id ? ctx.names[a.user_id] : undefined) ?? "";
  if (a.source === "manual" || a.rule === "manual") {
    const by = a.decided_by_id;
    if (by && by === a.user_id) return t(`routing.why.summary.took.${who}`, { name });
    if (by) return t(`routing.why.summary.manual.${who}`, { name, by: by === ctx.me ? t("routing.why.summary.byYou") : (ctx.names[by] ?? "") });
    return t(`routing.why.summary.api.${who}`, { name });
  }
  if (a.user_id === null) {
    if (a.rule === "closed") return t("routing.why.summary.queued.closed");
    if (a.rule === "owner") return t("routing.why.summary.queued.owner");
    if (a.strategy === "manual") return t("routing.why.summary.queued.manual");
    return t("routing.why.summary.queued.nobody");
  }
  if (a.rule === "strategy" && a.strategy && STRATEGIES.has(a.strategy)) {
    const open = chosen?.open ?? 0;
    const capacity = chosen?.capacity ?? 0;
    return t(`routing.why.summary.${a.strategy}.${who}`, { name, open, capacity, free: Math.max(0, capacity - open) });
  }
  if (RULES.has(a.rule)) return t(`routing.why.summary.${a.rule}.${who}`, { name });
  return t(`routing.why.summary.other.${who}`, { name });
}

/** The decision in words: one summary sentence, then one sentence for each agent passed over. */
export function explainDecision(a: Assignment, ctx: Context, t: Translate): Explanation {
  const candidates = candidatesOf(a);
  const chosen = candidates.find((c) => c.userId === a.user_id);
  const others: string[] = [];
  for (const c of candidates) {
    if (c.userId === a.user_id) continue;
    const name = c.name || ctx.names[c.userId] || "";
    const who = c.userId === ctx.me ? "you" : "other";
    let key: string;
    if (SKIPPED.has(c.reason)) key = "skipped";
    else if (PASSED.has(c.reason)) key = "passed";
    else if (BY_RULE.has(c.reason)) key = "rule";
    else continue;
    others.push(t(`routing.why.${key}.${who}`, { name, why: why(c, ctx, t) }));
  }
  let summary = summaryOf(a, chosen, ctx, t);
  if (chosen?.speaksLanguage && a.source !== "manual" && a.rule === "strategy") {
    const who = chosen.userId === ctx.me ? "you" : "other";
    const name = a.user_name ?? (chosen.name || ctx.names[chosen.userId] || "");
    summary = `${summary} ${t(`languages.why.speaks.${who}`, { name, language: languageOf(chosen, ctx) })}`;
  }
  return { summary, others };
}

/** How a decision was made, in a few words for the history list. */
export function howDecided(a: Assignment, ctx: Context, t: Translate): string {
  if (a.source === "manual" || a.rule === "manual") {
    const by = a.decided_by_id;
    if (!by) return t("routing.why.how.api");
    if (by === a.user_id) return t("routing.why.how.took");
    return t("routing.why.how.manual", { by: by === ctx.me ? t("routing.why.how.byYou") : (ctx.names[by] ?? "") });
  }
  if (a.user_id === null) return t(`routing.why.how.${a.rule === "closed" || a.rule === "owner" ? `queued_${a.rule}` : "queued"}`);
  if (a.rule === "strategy" && a.strategy && STRATEGIES.has(a.strategy)) return t(`routing.why.how.${a.strategy}`);
  if (RULES.has(a.rule)) return t(`routing.why.how.${a.rule}`);
  return a.rule;
}

/**
 * Away reasons that held at the time of a decision: an agent still away now, with a reason,
 * who has been in that state since before the decision was made.
 */
export function awayReasonsAt(
  decidedAt: string,
  agents: readonly { user_id: string; state: string; reason: string | null; state_since: string | null }[],
): Record<string, string> {
  const at = Date.parse(decidedAt);
  const result: Record<string, string> = {};
  for (const agent of agents) {
    if (agent.state !== "away" || !agent.reason || !agent.state_since) continue;
    if (Date.parse(agent.state_since) <= at) result[agent.user_id] = agent.reason;
  }
  return result;
}
