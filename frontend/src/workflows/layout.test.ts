import { describe, expect, it } from "vitest";
import type { Definition, Step } from "./definition";
import { COLUMN, autoLayout, layeredPositions, needsLayout, nodeHeight } from "./layout";
import { groupVariables, insertVariable, references, sampleData, unknownReferences } from "./variables";

function step(id: string, type: Step["type"], next: Record<string, string> = {}, config: Step["config"] = {}): Step {
  return { id, type, name: "", config, next, position: { x: 0, y: 0 } };
}

const menu: Definition = {
  trigger: { type: "conversation_opened", config: {} },
  start: "greet",
  steps: [
    step("orphan", "end"),
    step("greet", "send_message", { next: "menu" }),
    step("menu", "ask_question", { a: "jobs", b: "talk", reply: "talk", invalid: "again", timeout: "bye" }, { options: [{ id: "a" }, { id: "b" }] }),
    step("jobs", "send_message", { next: "bye" }),
    step("talk", "handover"),
    step("again", "jump", {}, { target: "menu" }),
    step("bye", "end"),
  ],
};

describe("auto-layout", () => {
  it("puts each step one row below the first step leading to it, in outlet order, centred", () => {
    const at = layeredPositions(menu);
    const height = (id: string) => nodeHeight(menu.steps.find((s) => s.id === id) as Step);
    // A row starts below the tallest node of the row above it: the menu has five outlets.
    expect(height("menu")).toBeGreaterThan(height("greet"));
    const second = height("greet") + 60;
    const third = second + height("menu") + 60;
    expect(at.get("greet")).toEqual({ x: 0, y: 0 });
    expect(at.get("menu")).toEqual({ x: 0, y: second });
    // Options first (jobs, talk), then invalid (again) and timeout (bye): four side by side.
    expect(["jobs", "talk", "again", "bye"].map((id) => at.get(id))).toEqual([
      { x: -1.5 * COLUMN, y: third },
      { x: -0.5 * COLUMN, y: third },
      { x: 0.5 * COLUMN, y: third },
      { x: 1.5 * COLUMN, y: third },
    ]);
    expect(at.get("orphan")).toEqual({ x: 0, y: third + height("jobs") + 60 });
  });

  it("lays out again steps a template placed one over the other", () => {
    const placed = (y: number, x = 0) => ({ ...menu, steps: menu.steps.slice(2, 4).map((s, i) => ({ ...s, position: { x: i * x, y: i * y } })) });
    expect(needsLayout(placed(140))).toBe(true); // the menu, five outlets, is taller than 140
    expect(needsLayout(placed(400))).toBe(false);
    expect(needsLayout(placed(140, 300))).toBe(false);
  });

  it("lays out a template that arrives unplaced, and leaves a placed one alone", () => {
    expect(needsLayout(menu)).toBe(true);
    const placed = autoLayout(menu);
    expect(needsLayout(placed)).toBe(false);
    expect(new Set(placed.steps.map((s) => `${s.position.x},${s.position.y}`)).size).toBe(placed.steps.length);
  });
});

describe("variables in texts", () => {
  const catalogue = [
    { key: "contact.name", label: "Name", group: "Contact", type: "text" },
    { key: "{{conversation.id}}", label: "Conversation", group: "Conversation", type: "text" },
    { key: "time.hour", label: "Hour", group: "Time", type: "number" },
  ];

  it("are inserted over the selection with the cursor after them", () => {
    expect(insertVariable("Olá !", 4, 4, "contact.name")).toEqual({ text: "Olá {{contact.name}}!", cursor: 20 });
    expect(insertVariable("Hi NAME", 3, 7, "{{contact.name}}")).toEqual({ text: "Hi {{contact.name}}", cursor: 19 });
    expect(insertVariable("x", 10, 12, "a").text).toBe("x{{a}}");
  });

  it("are found, and the unknown ones named", () => {
    const text = "{{ contact.name }} {{contact.nmae}} {{vars.cpf}} {{contact.fields.cpf}} {{conversation.id}} {{contact.name}}";
    expect(references(text)).toEqual(["contact.name", "contact.nmae", "vars.cpf", "contact.fields.cpf", "conversation.id"]);
    expect(unknownReferences(text, catalogue)).toEqual(["contact.nmae"]);
  });

  it("are grouped for the picker and give sample data for a preview", () => {
    expect(groupVariables(catalogue).map((g) => [g.group, g.items.map((i) => i.value)])).toEqual([
      ["Contact", ["contact.name"]],
      ["Conversation", ["conversation.id"]],
      ["Time", ["time.hour"]],
    ]);
    expect(sampleData(catalogue)).toEqual({ contact: { name: "" }, conversation: { id: "" }, time: { hour: 0 } });
  });
});
