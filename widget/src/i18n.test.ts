import { describe, expect, it } from "vitest";
import { catalogueKeys, formatBytes, pickLanguage, translator } from "./i18n";

describe("languages", () => {
  it("follows the browser, falling back to English", () => {
    expect(pickLanguage(["pt-PT", "en"])).toBe("pt-BR");
    expect(pickLanguage(["vi-VN"])).toBe("vi");
    expect(pickLanguage(["de-DE", "en-GB"])).toBe("en");
    expect(pickLanguage(["ja"])).toBe("en");
  });

  it("has every text in every language", () => {
    expect(catalogueKeys("pt-BR")).toEqual(catalogueKeys("en"));
    expect(catalogueKeys("vi")).toEqual(catalogueKeys("en"));
  });

  it("fills in variables", () => {
    expect(translator("pt-BR")("typing", { name: "Ana" })).toBe("Ana está digitando…");
    expect(translator("vi")("unread", { count: 3 })).toBe("3 chưa đọc");
  });

  it("writes sizes the local way", () => {
    expect(formatBytes(10 * 1024 * 1024, "en")).toBe("10 MB");
    expect(formatBytes(1.5 * 1024 * 1024, "pt-BR")).toBe("1,5 MB");
  });
});
