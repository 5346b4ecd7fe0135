// A workflow definition as the server stores it (core/workflows/definition.py): one trigger, the
// first step, and the steps, each leaving by its outlets to the step that follows.

export const TRIGGER_TYPES = [
  "conversation_opened",
  "conversation_closed",
  "message_received",
  "contact_tag_changed",
  "contact_field_changed",
  "contact_lifecycle_changed",
  "shortcut",
  "webhook",
  "schedule",
  "sla_at_risk",
  "sla_breached",
  "workflow",
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const STEP_TYPES = [
  "send_message",
  "ask_question",
  "branch",
  "business_hours",
  "date_branch",
  "assign",
  "tag",
  "update_contact",
  "note",
  "set_status",
  "wait",
  "http_request",
  "start_workflow",
  "handover",
  "jump",
  "end",
] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const TERMINAL_TYPES: ReadonlySet<StepType> = new Set(["handover", "jump", "end"]);

/** Fixed outlets per step type; a question's options and a branch's cases add their own. */
export const OUTLETS: Record<StepType, readonly string[]> = {
  send_message: ["next"],
  ask_question: ["reply", "invalid", "timeout"],
  branch: ["else"],
  business_hours: ["open", "closed"],
  date_branch: ["match", "else"],
  assign: ["next"],
  tag: ["next"],
  update_contact: ["next"],
  note: ["next"],
  set_status: ["next"],
  wait: ["next"],
  http_request: ["success", "error", "timeout"],
  start_workflow: ["next"],
  handover: [],
  jump: [],
  end: [],
};

export type Config = Record<string, unknown>;

export interface Trigger {
  type: TriggerType;
  config: Config;
}

export interface Position {
  x: number;
  y: number;
}

export interface Step {
  id: string;
  type: StepType;
  name: string;
  config: Config;
  next: Record<string, string>;
  position: Position;
}

export interface Definition {
  trigger: Trigger;
  start: string | null;
  steps: Step[];
}

/** An option of a question or a case of a branch: its id is the outlet's name. */
export interface Labelled {
  id: string;
  title?: string;
  label?: string;
}

function listed(config: Config, key: string): Labelled[] {
  const value = config[key];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Labelled => typeof v === "object" && v !== null && "id" in v);
}

export function optionsOf(step: Step): Labelled[] {
  return step.type === "ask_question" ? listed(step.config, "options") : [];
}

export function casesOf(step: Step): Labelled[] {
  return step.type === "branch" ? listed(step.config, "cases") : [];
}

/** Every outlet of a step, in the order its handles are drawn: options or cases first. */
export function outletsOf(step: Step): string[] {
  const extra = [...optionsOf(step), ...casesOf(step)].map((o) => String(o.id));
  return [...extra, ...(OUTLETS[step.type] ?? [])];
}

/** What an outlet is called on the canvas: an option's title, a case's label, or a fixed name
 * (the caller translates `workflows.outlet.<name>`). */
export function outletLabel(step: Step, outlet: string): { text: string } | { key: string } {
  const own = [...optionsOf(step), ...casesOf(step)].find((o) => String(o.id) === outlet);
  if (own) return { text: own.title || own.label || outlet };
  return { key: `workflows.outlet.${outlet}` };
}

/** A fresh definition for a blank workflow. */
export function blankDefinition(): Definition {
  return { trigger: { type: "conversation_opened", config: {} }, start: null, steps: [] };
}

/** A definition from whatever the server sent, with every field a step needs. */
export function normalise(raw: unknown): Definition {
  const value = (raw ?? {}) as Partial<Definition>;
  const trigger = value.trigger ?? { type: "conversation_opened", config: {} };
  return {
    trigger: { type: trigger.type, config: trigger.config ?? {} },
    start: value.start ?? null,
    steps: (value.steps ?? []).map((s) => ({
      id: s.id,
      type: s.type,
      name: s.name ?? "",
      config: s.config ?? {},
      next: s.next ?? {},
      position: { x: s.position?.x ?? 0, y: s.position?.y ?? 0 },
    })),
  };
}

/** An id not used yet in the definition, from the step type ("ask_question_2"). */
export function freshId(definition: Definition, base: string): string {
  const taken = new Set(definition.steps.map((s) => s.id));
  const stem = base.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 56) || "step";
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n += 1) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

/** The config a new step of a type starts with (the shapes of core/workflows/steps/). */
export function defaultConfig(type: StepType): Config {
  switch (type) {
    case "send_message":
      return { text: "" };
    case "ask_question":
      return { text: "", answer_type: "text", options: [], save_to: null, max_attempts: 3, timeout_minutes: null };
    case "branch":
      return { cases: [{ id: "case_1", label: "", rule: { and: [{ "==": [{ var: "message.text" }, ""] }] } }] };
    case "business_hours":
      return { team_id: null };
    case "date_branch":
      return { weekdays: [0, 1, 2, 3, 4], from_time: "09:00", to_time: "18:00" };
    case "assign":
      return { to: "team", team_id: null };
    case "tag":
      return { action: "add", target: "conversation", tag_ids: [] };
    case "update_contact":
      return { field: "contact.lifecycle_stage", value: "" };
    case "note":
      return { text: "" };
    case "set_status":
      return { status: "closed" };
    case "wait":
      return { minutes: 60 };
    case "http_request":
      return { method: "POST", url: "", headers: {}, body: null, timeout_seconds: 10, retries: 2, map: {} };
    case "start_workflow":
      return { workflow_id: null, pass_vars: true };
    case "jump":
      return { target: null };
    default:
      return {};
  }
}

/** A definition with a new step of `type` placed at `position`; the first step becomes the start. */
export function addStep(definition: Definition, type: StepType, name: string, position: Position): { definition: Definition; id: string } {
  const id = freshId(definition, type);
  const step: Step = { id, type, name, config: defaultConfig(type), next: {}, position };
  return {
    id,
    definition: { ...definition, start: definition.start ?? id, steps: [...definition.steps, step] },
  };
}

/** A definition without the step; every outlet, jump and start that named it is cleared. */
export function removeStep(definition: Definition, id: string): Definition {
  const steps = definition.steps
    .filter((s) => s.id !== id)
    .map((s) => {
      const next = Object.fromEntries(Object.entries(s.next).filter(([, target]) => target !== id));
      const config = s.type === "jump" && s.config.target === id ? { ...s.config, target: null } : s.config;
      return { ...s, next, config };
    });
  return { ...definition, start: definition.start === id ? null : definition.start, steps };
}

/** A definition with one outlet pointed at `target` (or unconnected when target is null). */
export function connect(definition: Definition, from: string, outlet: string, target: string | null): Definition {
  return {
    ...definition,
    steps: definition.steps.map((s) => {
      if (s.id !== from) return s;
      const next = { ...s.next };
      if (target) next[outlet] = target;
      else delete next[outlet];
      return { ...s, next };
    }),
  };
}

/** A definition with one step replaced by `change(step)`; outlets that no longer exist are dropped. */
export function updateStep(definition: Definition, id: string, change: (step: Step) => Step): Definition {
  return {
    ...definition,
    steps: definition.steps.map((s) => {
      if (s.id !== id) return s;
      const changed = change(s);
      const outlets = new Set(outletsOf(changed));
      const next = Object.fromEntries(Object.entries(changed.next).filter(([o]) => outlets.has(o)));
      return { ...changed, next };
    }),
  };
}
