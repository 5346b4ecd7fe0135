import { describe, expect, it } from "vitest";
import { type Definition, type Step, addStep, connect, outletsOf, removeStep, updateStep } from "./definition";
import { graphProblems, problemsByStep } from "./graph";

function step(id: string, type: Step["type"], next: Record<string, string> = {}, config: Step["config"] = {}): Step {
  return { id, type, name: "", config, next, position: { x: 0, y: 0 } };
}

function flow(start: string | null, ...steps: Step[]): Definition {
  return { trigger: { type: "conversation_opened", config: {} }, start, steps };
}

const codes = (d: Definition) => graphProblems(d).map((p) => [p.code, p.step_id ?? null, p.outlet ?? null]);

describe("graph checks", () => {
  it("passes a menu whose every branch ends", () => {
    const menu = step("menu", "ask_question", { "1": "jobs", "2": "handover", reply: "handover", invalid: "menu_again", timeout: "end" }, {
      options: [
        { id: "1", title: "Vagas" },
        { id: "2", title: "Entrevista" },
      ],
    });
    const definition = flow(
      "greet",
      step("greet", "send_message", { next: "menu" }),
      menu,
      step("jobs", "send_message", { next: "end" }),
      step("menu_again", "jump", {}, { target: "menu" }),
      step("handover", "handover"),
      step("end", "end"),
    );
    expect(graphProblems(definition)).toEqual([]);
  });

  it("says a workflow with no step has only that fault", () => {
    expect(codes(flow(null))).toEqual([["no_steps", null, null]]);
  });

  it("finds no start, and then every step unreachable", () => {
    expect(codes(flow(null, step("a", "end")))).toEqual([
      ["no_start", null, null],
      ["unreachable", "a", null],
    ]);
    expect(codes(flow("gone", step("a", "end")))).toEqual([
      ["no_start", null, null],
      ["unreachable", "a", null],
    ]);
  });

  it("finds each dangling outlet of a step, options and cases first", () => {
    const ask = step("ask", "ask_question", { reply: "end" }, { options: [{ id: "yes", title: "Yes" }] });
    expect(codes(flow("ask", ask, step("end", "end")))).toEqual([
      ["dangling_outlet", "ask", "yes"],
      ["dangling_outlet", "ask", "invalid"],
      ["dangling_outlet", "ask", "timeout"],
    ]);
    const branch = step("b", "branch", {}, { cases: [{ id: "vip", label: "VIP", rule: true }] });
    expect(codes(flow("b", branch))).toEqual([
      ["dangling_outlet", "b", "vip"],
      ["dangling_outlet", "b", "else"],
    ]);
  });

  it("finds an outlet to a step that does not exist, and an outlet the step does not have", () => {
    const definition = flow("a", step("a", "send_message", { next: "nowhere", open: "b" }), step("b", "end"));
    expect(codes(definition)).toEqual([
      ["unknown_step", "a", "next"],
      ["unknown_outlet", "a", "open"],
    ]);
  });

  it("finds a jump to nowhere, and follows a jump's target for reachability", () => {
    expect(codes(flow("j", step("j", "jump", {}, { target: "missing" })))).toEqual([["unknown_step", "j", null]]);
    expect(codes(flow("j", step("j", "jump", {}, { target: "end" }), step("end", "end")))).toEqual([]);
  });

  it("finds duplicate ids and unreachable islands, even in a loop", () => {
    const definition = flow(
      "a",
      step("a", "end"),
      step("a", "end"),
      step("x", "send_message", { next: "y" }),
      step("y", "send_message", { next: "x" }),
    );
    expect(codes(definition)).toEqual([
      ["duplicate_id", "a", null],
      ["unreachable", "x", null],
      ["unreachable", "y", null],
    ]);
  });

  it("groups problems by step for the canvas", () => {
    const grouped = problemsByStep(graphProblems(flow(null, step("a", "send_message"))));
    expect(grouped.get("")?.map((p) => p.code)).toEqual(["no_start"]);
    expect(grouped.get("a")?.map((p) => p.code)).toEqual(["dangling_outlet", "unreachable"]);
  });
});

describe("editing a definition", () => {
  it("makes the first step added the start and gives each a fresh id", () => {
    let definition: Definition = flow(null);
    const first = addStep(definition, "send_message", "Hi", { x: 0, y: 0 });
    const second = addStep(first.definition, "send_message", "Again", { x: 0, y: 100 });
    definition = second.definition;
    expect(definition.start).toBe("send_message");
    expect(definition.steps.map((s) => s.id)).toEqual(["send_message", "send_message_2"]);
  });

  it("clears every link to a step it removes, the start included", () => {
    let definition = flow("a", step("a", "send_message", { next: "b" }), step("b", "end"), step("j", "jump", {}, { target: "b" }));
    definition = removeStep(definition, "b");
    expect(definition.steps.find((s) => s.id === "a")?.next).toEqual({});
    expect(definition.steps.find((s) => s.id === "j")?.config.target).toBeNull();
    expect(removeStep(definition, "a").start).toBeNull();
  });

  it("connects and disconnects an outlet", () => {
    let definition = flow("a", step("a", "send_message"), step("b", "end"));
    definition = connect(definition, "a", "next", "b");
    expect(graphProblems(definition)).toEqual([]);
    definition = connect(definition, "a", "next", null);
    expect(codes(definition)).toEqual([["dangling_outlet", "a", "next"], ["unreachable", "b", null]]);
  });

  it("drops the link of an option that was removed", () => {
    const ask = step("ask", "ask_question", { yes: "end", reply: "end" }, { options: [{ id: "yes", title: "Yes" }] });
    const definition = updateStep(flow("ask", ask, step("end", "end")), "ask", (s) => ({ ...s, config: { ...s.config, options: [] } }));
    const changed = definition.steps[0] as Step;
    expect(changed.next).toEqual({ reply: "end" });
    expect(outletsOf(changed)).toEqual(["reply", "invalid", "timeout"]);
  });
});
