import { describe, expect, it } from "vitest";
import { browserLanguage, catalogues, formatWait, mergeCatalogue } from "./index";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("catalogues", () => {
  const english = keys(catalogues.en).sort();
  it.each(["pt-BR", "vi"] as const)("%s has every key English has, and no other", (lang) => {
    expect(keys(catalogues[lang]).sort()).toEqual(english);
  });

  it("keeps every {{variable}} in every language", () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const flat = (c: unknown) => Object.fromEntries(keys(c).map((k) => [k, k.split(".").reduce<any>((o, p) => o[p], c)]));
    const en = flat(catalogues.en);
    for (const lang of ["pt-BR", "vi"] as const) {
      const other = flat(catalogues[lang]);
      for (const [k, text] of Object.entries(en)) expect(vars(other[k] as string), `${lang} ${k}`).toEqual(vars(text as string));
    }
  });
});

describe("catalogue files", () => {
  it("refuses a top-level key defined in two files", () => {
    const sources = { "../locales/en/a.json": { inbox: {} }, "../locales/en/b.json": { inbox: {} } };
    expect(() => mergeCatalogue("en", sources)).toThrow(/inbox/);
  });

  it("merges only the files of the language asked for", () => {
    const sources = { "../locales/en/a.json": { one: "1" }, "../locales/vi/a.json": { two: "2" } };
    expect(mergeCatalogue("en", sources)).toEqual({ one: "1" });
  });
});

describe("language and formats", () => {
  it("follows the browser", () => {
    expect(browserLanguage(["pt-PT"])).toBe("pt-BR");
    expect(browserLanguage(["vi"])).toBe("vi");
    expect(browserLanguage(["fr"])).toBe("en");
  });

  it("writes waiting times in the user's language", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(formatWait("2026-05-01T11:55:00Z", now, "en")).toBe("5 min");
    expect(formatWait("2026-05-01T09:00:00Z", now, "en")).toBe("3 hr");
    expect(formatWait("2026-04-29T12:00:00Z", now, "pt-BR")).toBe("2 dias");
  });
});
