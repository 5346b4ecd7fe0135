import { describe, expect, it } from "vitest";
import { fitVariables, inputTime, localTime, placeholderCount, previewText, progressParts } from "./compose";

describe("broadcast composing", () => {
  it("counts a template's variables by its highest placeholder", () => {
    expect(placeholderCount("Hi {{1}}, see you {{ 2 }} at {{2}}")).toBe(2);
    expect(placeholderCount("No variables")).toBe(0);
  });

  it("keeps chosen variables and adds first names for new ones", () => {
    const kept = fitVariables([{ source: "field", value: "city", fallback: "" }], 2);
    expect(kept.map((v) => v.source)).toEqual(["field", "first_name"]);
    expect(fitVariables(kept, 1)).toHaveLength(1);
  });

  it("previews each placeholder by its source", () => {
    const text = previewText("Hi {{1}} from {{2}} {{3}}", [{ source: "name", value: "", fallback: "" }, { source: "text", value: "us", fallback: "" }], (v) => v.source);
    expect(text).toBe("Hi [name] from [text] {{3}}");
  });

  it("takes a local time without an offset", () => {
    expect(localTime("2026-03-01T18:30")).toBe("2026-03-01T18:30:00");
    expect(localTime("")).toBeNull();
  });

  it("splits recipients where their message got furthest", () => {
    const parts = progressParts({ recipients: 10, pending: 2, sent: 6, delivered: 4, read: 1, replied: 1, failed: 1, skipped: 1, cancelled: 0 });
    expect(parts.map((p) => [p.key, p.value])).toEqual([
      ["read", 10],
      ["delivered", 30],
      ["sent", 20],
      ["failed", 10],
      ["skipped", 10],
      ["pending", 20],
    ]);
  });
});

describe("inputTime", () => {
  it("reads an instant as the local time of its zone, for the datetime input", () => {
    expect(inputTime("2026-01-05T21:00:00Z", "America/Sao_Paulo")).toBe("2026-01-05T18:00");
    expect(inputTime("2026-01-05T17:30:00+00:00", "Asia/Ho_Chi_Minh")).toBe("2026-01-06T00:30");
    expect(localTime(inputTime("2026-07-01T09:05:00Z", "UTC"))).toBe("2026-07-01T09:05:00");
  });
});
