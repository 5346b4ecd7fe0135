// Each step's settings checked in the browser as the engine checks them when publishing
// (core/workflows/steps/), so the editor names the field at fault as it is typed. The server's
// own answer (validate, publish) stays the last word and is shown beside these.
import { type Definition, type Step, optionsOf } from "./definition";
import type { Problem } from "./graph";
import { conditionProblems, fromRule, ruleProblems } from "./rules";

/** A step's setting at fault: `field` is the config key, `key` a `workflows.check.*` text. */
export interface ConfigProblem extends Problem {
  field: string;
  key: string;
}

const ID = /^[A-Za-z0-9_-]+$/;
const SAVE_TARGETS = /^(contact\.(name|email|phone)|contact\.fields\.[A-Za-z0-9_]+|vars\.[A-Za-z0-9_]+)$/;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function questionChecks(step: Step, fault: (field: string, key: string) => void) {
  const c = step.config;
  if (!text(c.text).trim()) fault("text", "text");
  const options = optionsOf(step);
  if (c.answer_type === "choice" && options.length === 0) fault("options", "options");
  if (c.answer_type !== "choice" && options.length > 0) fault("options", "optionsNotChoice");
  if (options.some((o) => !text(o.title).trim())) fault("options", "optionTitle");
  if (options.some((o) => !ID.test(String(o.id)))) fault("options", "optionId");
  if (new Set(options.map((o) => o.id)).size !== options.length) fault("options", "optionDuplicate");
  if (c.save_to && !SAVE_TARGETS.test(text(c.save_to))) fault("save_to", "saveTo");
}

function stepChecks(step: Step, steps: ReadonlySet<string>): { field: string; key: string }[] {
  const found: { field: string; key: string }[] = [];
  const fault = (field: string, key: string) => found.push({ field, key });
  const c = step.config;
  switch (step.type) {
    case "send_message":
      if (!text(c.text).trim() && !c.template && !c.survey && list(c.attachment_ids).length === 0) fault("text", "message");
      if (list(c.buttons).some((b) => !text((b as { title?: unknown }).title).trim())) fault("buttons", "buttonTitle");
      break;
    case "ask_question":
      questionChecks(step, fault);
      break;
    case "note":
      if (!text(c.text).trim()) fault("text", "text");
      break;
    case "branch": {
      // No case at all is allowed: the branch always leaves by "else".
      const cases = list(c.cases) as { id?: unknown; rule?: unknown }[];
      for (const item of cases) {
        const rows = fromRule(item.rule);
        if (ruleProblems(item.rule).length > 0 || (rows && conditionProblems(rows).some(Boolean))) fault("cases", "rule");
      }
      break;
    }
    case "assign":
      if (c.to === "team" && !c.team_id) fault("team_id", "team");
      if (c.to === "agent" && !c.user_id) fault("user_id", "agent");
      break;
    case "tag":
      if (list(c.tag_ids).length === 0) fault("tag_ids", "tags");
      break;
    case "update_contact":
      if (!text(c.field).trim()) fault("field", "field");
      else if (c.field !== "contact.lifecycle_stage" && !SAVE_TARGETS.test(text(c.field))) fault("field", "contactField");
      else if (text(c.field).startsWith("vars.")) fault("field", "contactField");
      break;
    case "set_status":
      if (c.status === "snoozed" && !c.snooze_minutes) fault("snooze_minutes", "snooze");
      break;
    case "wait":
      if (!c.minutes && !c.until) fault("minutes", "wait");
      break;
    case "http_request":
      if (!/^https?:\/\/.{1,}/.test(text(c.url)) || text(c.url).length < 8) fault("url", "url");
      break;
    case "start_workflow":
      if (!c.workflow_id) fault("workflow_id", "workflow");
      break;
    case "jump":
      if (typeof c.target !== "string" || !steps.has(c.target)) fault("target", "target");
      break;
  }
  return found;
}

/** Every step's settings at fault, as problems the canvas marks on the step. */
export function configProblems(definition: Definition): ConfigProblem[] {
  const ids = new Set(definition.steps.map((s) => s.id));
  return definition.steps.flatMap((step) =>
    stepChecks(step, ids).map(({ field, key }) => ({ code: "invalid_config", message: key, step_id: step.id, outlet: null, field, key })),
  );
}

/** A step's problems by field, for the step editor's messages. */
export function fieldProblems(problems: readonly Problem[], stepId: string): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const p of problems) {
    if (p.step_id === stepId && "field" in p && "key" in p) {
      const { field, key } = p as ConfigProblem;
      byField[field] ??= key;
    }
  }
  return byField;
}
