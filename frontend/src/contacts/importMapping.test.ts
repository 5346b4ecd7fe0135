import { describe, expect, it } from "vitest";
import { canStart, importPercent, remap, targetOptions } from "./importMapping";

describe("the import mapping", () => {
  it("offers the base targets and one per custom field", () => {
    expect(targetOptions(["city"])).toEqual(["name", "phone", "email", "language", "lifecycle_stage", "tags", "field:city"]);
  });

  it("moves a target to the column that takes it and leaves a column out", () => {
    const start = { Nome: "name", Fone: "phone" };
    expect(remap(start, "Apelido", "name")).toEqual({ Fone: "phone", Apelido: "name" });
    expect(remap(start, "Fone", null)).toEqual({ Nome: "name" });
  });

  it("starts only with a name, phone or email", () => {
    expect(canStart({ Tags: "tags" })).toBe(false);
    expect(canStart({ Tags: "tags", Mail: "email" })).toBe(true);
  });

  it("reports progress as a share of the rows", () => {
    expect(importPercent({ rows_done: 2500, rows_total: 5000, status: "running" })).toBe(50);
    expect(importPercent({ rows_done: 0, rows_total: 0, status: "queued" })).toBe(0);
    expect(importPercent({ rows_done: 4997, rows_total: 5000, status: "done" })).toBe(100);
  });
});

describe("a download's name", () => {
  it("comes from the answer's Content-Disposition", async () => {
    const { fileNameOf } = await import("./download");
    expect(fileNameOf('attachment; filename="contacts-2026-12-07.csv"', "x.csv")).toBe("contacts-2026-12-07.csv");
    expect(fileNameOf(null, "x.csv")).toBe("x.csv");
  });
});
