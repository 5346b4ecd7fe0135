import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogues } from "../i18n";
import { RUN_STATUSES } from "./api";
import { configProblems } from "./checks";
import { type Definition, OUTLETS, STEP_TYPES, type Step, TRIGGER_TYPES, addStep, blankDefinition, defaultConfig } from "./definition";
import { OPERATORS } from "./rules";

function has(path: string): boolean {
  let node: unknown = catalogues.en;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string";
}

function hasText(path: string): boolean {
  return has(path) || has(`${path}_other`);
}

// Every screen of the builder, and the conversation's panel.
const sources = [
  ...readdirSync(new URL(".", import.meta.url)).filter((f) => f.endsWith(".tsx")).map((f) => new URL(f, import.meta.url)),
  ...readdirSync(new URL("./forms", import.meta.url)).map((f) => new URL(`./forms/${f}`, import.meta.url)),
  new URL("../conversation/ConversationWorkflows.tsx", import.meta.url),
];

describe("the builder's texts", () => {
  it("has every text a screen asks for by name", () => {
    const missing: string[] = [];
    for (const file of sources) {
      const code = readFileSync(file, "utf8");
      for (const match of code.matchAll(/\bt\("(workflows\.[A-Za-z0-9_.]+)"/g)) if (!hasText(match[1] as string)) missing.push(match[1] as string);
    }
    expect(missing).toEqual([]);
  });

  it("names every step type, trigger, outlet, comparison and run status", () => {
    const names = [
      ...STEP_TYPES.map((s) => `workflows.step.${s}`),
      ...TRIGGER_TYPES.map((s) => `workflows.trigger.${s}`),
      ...Object.values(OUTLETS).flatMap((outlets) => outlets.map((o) => `workflows.outlet.${o}`)),
      ...OPERATORS.map((o) => `workflows.condition.op.${o}`),
      ...RUN_STATUSES.map((s) => `workflows.runs.status.${s}`),
    ];
    expect(names.filter((n) => !has(n))).toEqual([]);
  });

  it("explains every check the browser makes", () => {
    // A definition with one of each step, each left as it starts: the checks that fire name their text.
    let definition: Definition = blankDefinition();
    for (const type of STEP_TYPES) definition = addStep(definition, type, "", { x: 0, y: 0 }).definition;
    const keys = new Set(configProblems(definition).map((p) => p.key));
    expect(keys.size).toBeGreaterThan(5);
    expect([...keys].filter((k) => !has(`workflows.check.${k}`))).toEqual([]);
  });
});

describe("the browser's checks of a step's settings", () => {
  const step = (type: Step["type"], config: Step["config"]): Definition => ({
    trigger: { type: "conversation_opened", config: {} },
    start: "s",
    steps: [{ id: "s", type, name: "", config, next: {}, position: { x: 0, y: 0 } }],
  });
  const keys = (d: Definition) => configProblems(d).map((p) => `${p.field}:${p.key}`);

  it("pass a step filled in as the engine wants it", () => {
    expect(keys(step("send_message", { text: "Olá {{contact.name}}" }))).toEqual([]);
    expect(keys(step("send_message", { survey: "csat" }))).toEqual([]);
    expect(keys(step("branch", { cases: [] }))).toEqual([]);
    expect(keys(step("ask_question", { text: "CPF?", answer_type: "cpf", save_to: "contact.fields.cpf" }))).toEqual([]);
    expect(keys(step("assign", { to: "owner" }))).toEqual([]);
    expect(keys(step("http_request", { method: "GET", url: "https://example.com/x" }))).toEqual([]);
    expect(keys(step("branch", { cases: [{ id: "a", label: "A", rule: { and: [{ "==": [{ var: "message.text" }, "1"] }] } }] }))).toEqual([]);
  });

  it("name the field at fault", () => {
    expect(keys(step("send_message", defaultConfig("send_message")))).toEqual(["text:message"]);
    expect(keys(step("ask_question", { text: "Pick", answer_type: "choice", options: [] }))).toEqual(["options:options"]);
    expect(keys(step("ask_question", { text: "Pick", answer_type: "choice", options: [{ id: "1", title: "" }, { id: "1", title: "B" }] }))).toEqual([
      "options:optionTitle",
      "options:optionDuplicate",
    ]);
    expect(keys(step("ask_question", { text: "?", save_to: "contact.nickname" }))).toEqual(["save_to:saveTo"]);
    expect(keys(step("assign", { to: "team", team_id: null }))).toEqual(["team_id:team"]);
    expect(keys(step("update_contact", { field: "vars.x", value: 1 }))).toEqual(["field:contactField"]);
    expect(keys(step("http_request", { url: "ftp://x.example" }))).toEqual(["url:url"]);
    expect(keys(step("branch", { cases: [{ id: "a", label: "", rule: { and: [{ "==": [{ var: "" }, "1"] }] } }] }))).toEqual(["cases:rule"]);
    expect(keys(step("branch", { cases: [{ id: "a", label: "", rule: { some: [] } }] }))).toEqual(["cases:rule"]);
    expect(keys(step("jump", { target: "gone" }))).toEqual(["target:target"]);
  });
});
