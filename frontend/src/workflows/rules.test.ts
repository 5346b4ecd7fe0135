import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Condition, conditionProblems, fromRule, matches, toRule, ruleProblems, typedValue, valueText } from "./rules";

// The cases the engine's tests evaluate too: the browser and Python must agree on each.
const cases = JSON.parse(readFileSync(new URL("../../../tests/fixtures/workflow_rules_cases.json", import.meta.url), "utf8")) as {
  name: string;
  rule: unknown;
  data: unknown;
  expected: boolean;
}[];

describe("the rules the engine evaluates", () => {
  it("has cases to check", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(ruleProblems(c.rule)).toEqual([]);
    expect(matches(c.rule, c.data)).toBe(c.expected);
  });
});

describe("condition rows", () => {
  const condition: Condition = {
    join: "and",
    rows: [
      { field: "contact.lifecycle_stage", operator: "eq", value: "customer" },
      { field: "contact.tags", operator: "contains", value: "vip" },
      { field: "contact.tags", operator: "not_contains", value: "blocked" },
      { field: "conversation.channel", operator: "one_of", value: ["whatsapp", "telegram"] },
      { field: "time.hour", operator: "gte", value: 9 },
      { field: "contact.email", operator: "is_set", value: null },
      { field: "contact.phone", operator: "is_empty", value: null },
    ],
  };

  it("become the JsonLogic the engine reads", () => {
    expect(toRule({ join: "or", rows: [{ field: "message.text", operator: "eq", value: "2" }] })).toEqual({
      or: [{ "==": [{ var: "message.text" }, "2"] }],
    });
    expect(toRule(condition)).toEqual({
      and: [
        { "==": [{ var: "contact.lifecycle_stage" }, "customer"] },
        { in: ["vip", { var: "contact.tags" }] },
        { "!": [{ in: ["blocked", { var: "contact.tags" }] }] },
        { in: [{ var: "conversation.channel" }, ["whatsapp", "telegram"]] },
        { ">=": [{ var: "time.hour" }, 9] },
        { "!!": [{ var: "contact.email" }] },
        { "!": [{ var: "contact.phone" }] },
      ],
    });
  });

  it("come back from their rule unchanged", () => {
    expect(fromRule(toRule(condition))).toEqual(condition);
  });

  it("read a bare comparison and the one-argument forms", () => {
    expect(fromRule({ "<": [{ var: "time.hour" }, 12] })).toEqual({ join: "and", rows: [{ field: "time.hour", operator: "lt", value: 12 }] });
    expect(fromRule({ "!!": { var: "contact.email" } })?.rows[0]?.operator).toBe("is_set");
  });

  it("leave a rule beyond them to the JSON editor", () => {
    expect(fromRule({ if: [true, 1, 2] })).toBeNull();
    expect(fromRule({ and: [{ "==": [1, 1] }] })).toBeNull();
    expect(fromRule({ and: [{ "==": [{ var: "a" }, 1] }, { or: [] }] })).toBeNull();
  });

  it("are checked against sample data with the engine's semantics", () => {
    const rule = toRule(condition);
    const customer = { contact: { lifecycle_stage: "customer", tags: ["vip"], email: "e@x.io" }, conversation: { channel: "whatsapp" }, time: { hour: 10 } };
    expect(matches(rule, customer)).toBe(true);
    expect(matches(rule, { ...customer, time: { hour: 8 } })).toBe(false);
    expect(matches(toRule({ ...condition, join: "or" }), { contact: { tags: [] } })).toBe(true);
  });

  it("call a rule that the engine would refuse broken, and a broken rule false", () => {
    expect(ruleProblems({ some: [{ var: "contact.tags" }, { "==": [{ var: "" }, "vip"] }] })).toEqual(["operation"]);
    expect(ruleProblems({ "==": [1, 1], "!=": [1, 2] })).toEqual(["shape"]);
    expect(ruleProblems("x".repeat(10_001))).toEqual(["size"]);
    expect(matches({ some: [[1], { "==": [{ var: "" }, 1] }] }, {})).toBe(false);
  });

  it("type a value as the field and operator need", () => {
    expect(typedValue("gt", "17", false)).toBe(17);
    expect(typedValue("eq", "2", false)).toBe("2");
    expect(typedValue("eq", "2", true)).toBe(2);
    expect(typedValue("one_of", "whatsapp, telegram,", false)).toEqual(["whatsapp", "telegram"]);
    expect(typedValue("is_set", "anything", false)).toBeNull();
    expect(typedValue("eq", "true", false)).toBe(true);
    expect(valueText(["a", 1])).toBe("a, 1");
  });

  it("say which row is missing a field or a value", () => {
    expect(
      conditionProblems({
        join: "and",
        rows: [
          { field: "", operator: "eq", value: "x" },
          { field: "a", operator: "eq", value: "" },
          { field: "a", operator: "is_set", value: null },
          { field: "a", operator: "one_of", value: [] },
        ],
      }),
    ).toEqual(["field", "value", null, "value"]);
  });
});
