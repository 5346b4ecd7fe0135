import { describe, expect, it } from "vitest";
import type { Definition, Step } from "./definition";
import { TRIGGER_ID, flowEdges, triggerPosition } from "./flow";
import { ROW, TRIGGER_POSITION } from "./layout";

function step(id: string, type: Step["type"], next: Record<string, string> = {}, y = 0, config: Step["config"] = {}): Step {
  return { id, type, name: "", config, next, position: { x: 10, y } };
}

const menu: Definition = {
  trigger: { type: "message_received", config: {} },
  start: "ask",
  steps: [
    step("ask", "ask_question", { yes: "done", reply: "done", invalid: "gone", timeout: "" }, 100, { options: [{ id: "yes", title: "Yes" }] }),
    step("done", "end", {}, 300),
  ],
};

describe("the canvas's links", () => {
  it("draws the trigger's link and one per outlet that leads to a step", () => {
    expect(flowEdges(menu).map((e) => [e.source, e.sourceHandle, e.target])).toEqual([
      [TRIGGER_ID, "start", "ask"],
      ["ask", "yes", "done"],
      ["ask", "reply", "done"],
    ]);
  });

  it("draws no link from the trigger while the first step is not set", () => {
    expect(flowEdges({ ...menu, start: null }).some((e) => e.source === TRIGGER_ID)).toBe(false);
  });

  it("keeps the trigger one row above the top-most step, over the first one", () => {
    expect(triggerPosition(menu)).toEqual({ x: 10, y: 100 - ROW });
    expect(triggerPosition({ ...menu, steps: [] })).toEqual(TRIGGER_POSITION);
  });
});
