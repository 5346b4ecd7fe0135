import { describe, expect, it } from "vitest";
import { configForKind, localToOffsetIso, messageKind, offsetIsoToLocal, sizedParameters, templateOf } from "./sending";

describe("message kind", () => {
  it("reads the kind a config is", () => {
    expect(messageKind({ text: "hi" })).toBe("text");
    expect(messageKind({ template: { template_id: "t", parameters: [] } })).toBe("template");
    expect(messageKind({ template: null })).toBe("template");
    expect(messageKind({ buttons: [{ id: "b1", title: "a" }] })).toBe("buttons");
    expect(messageKind({ survey: "csat" })).toBe("survey");
  });

  it("a template goes on its own: no text, buttons or files", () => {
    const c = configForKind({ text: "hi", buttons: [{ id: "b1", title: "x" }], attachment_ids: ["a1"] }, "template", "Options");
    expect(c).toEqual({ text: "", template: null });
    expect(messageKind(c)).toBe("template");
  });

  it("a text message keeps its files; buttons drop them", () => {
    expect(configForKind({ text: "hi", attachment_ids: ["a1"], template: { template_id: "t" } }, "text", "x")).toEqual({ text: "hi", attachment_ids: ["a1"] });
    expect(configForKind({ text: "hi", attachment_ids: ["a1"] }, "buttons", "x")).toEqual({ text: "hi", buttons: [{ id: "b1", title: "" }] });
  });
});

describe("template parameters", () => {
  it("one per placeholder, keeping what was written", () => {
    expect(sizedParameters("Hi {{1}}, your order {{2}} ships", ["{{contact.name}}"])).toEqual(["{{contact.name}}", ""]);
    expect(sizedParameters("No placeholders", ["left"])).toEqual([]);
  });

  it("reads the stored template", () => {
    expect(templateOf({ template: { template_id: "t1", parameters: ["a"] } })).toEqual({ template_id: "t1", parameters: ["a"] });
    expect(templateOf({ template: null })).toBeNull();
    expect(templateOf({})).toBeNull();
  });
});

describe("wait until", () => {
  it("stores the typed wall time with the browser's offset", () => {
    const iso = localToOffsetIso("2026-12-08T09:30");
    expect(iso).toMatch(/^2026-12-08T09:30:00[+-]\d{2}:\d{2}$/);
    expect(new Date(iso ?? "").getTime()).toBe(new Date("2026-12-08T09:30:00").getTime());
    expect(offsetIsoToLocal(iso ?? "")).toBe("2026-12-08T09:30");
  });

  it("refuses what is not a date and time", () => {
    expect(localToOffsetIso("")).toBeNull();
    expect(localToOffsetIso("tomorrow")).toBeNull();
    expect(localToOffsetIso("2026-13-45T99:00")).toBeNull();
    expect(offsetIsoToLocal("nonsense")).toBe("");
  });

  it("shows a time stored with another offset in the browser's zone", () => {
    const local = offsetIsoToLocal("2026-12-08T12:00:00+00:00");
    expect(new Date(local).getTime()).toBe(Date.UTC(2026, 11, 8, 12, 0));
  });
});
