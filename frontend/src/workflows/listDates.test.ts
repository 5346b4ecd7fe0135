import { describe, expect, it } from "vitest";
import { catalogues } from "../i18n";
import { formatPublishedDay } from "./listDates";

const now = new Date(2026, 11, 7, 12, 0);

describe("the workflows list's figures", () => {
  it("shows the publish day in the reader's language, with the year only when it is another", () => {
    const day = new Date(2026, 11, 3, 15, 30).toISOString();
    expect(formatPublishedDay(day, "en", now)).toBe("Dec 3");
    expect(formatPublishedDay(day, "pt-BR", now)).toBe("3 de dez.");
    expect(formatPublishedDay(day, "vi", now)).toMatch(/^3 thg 12$/);
    expect(formatPublishedDay(new Date(2025, 11, 3, 15).toISOString(), "en", now)).toBe("Dec 3, 2025");
  });

  it("says how many runs started today in every language", () => {
    for (const catalogue of Object.values(catalogues)) {
      const list = (catalogue as { workflows: { list: Record<string, string> } }).workflows.list;
      expect(list.runsToday_other).toContain("{{count}}");
      expect(list.publishedOn).toContain("{{date}}");
      expect(list.today).toBeTruthy();
    }
  });
});
