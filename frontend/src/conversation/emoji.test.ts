import { describe, expect, it } from "vitest";
import en from "../locales/en/palette.json";
import ptBR from "../locales/pt-BR/palette.json";
import vi from "../locales/vi/palette.json";
import { EMOJI, emojiName, findEmoji, insertAt } from "./emoji";

const languages = { en: en.emoji.names, "pt-BR": ptBR.emoji.names, vi: vi.emoji.names };
const chars = (found: { char: string }[]) => found.map((e) => e.char);

describe("the emoji set", () => {
  it("has unique ids and characters, each named in every language", () => {
    expect(new Set(EMOJI.map((e) => e.id)).size).toBe(EMOJI.length);
    expect(new Set(EMOJI.map((e) => e.char)).size).toBe(EMOJI.length);
    for (const names of Object.values(languages)) {
      expect(Object.keys(names).sort()).toEqual(EMOJI.map((e) => e.id).sort());
    }
  });

  it("shows the first of an emoji's words as its name", () => {
    const thumbs = EMOJI.find((e) => e.id === "thumbs_up")!;
    expect(emojiName(thumbs, languages.en)).toBe("thumbs up");
    expect(emojiName(thumbs, languages["pt-BR"])).toBe("joinha");
    expect(emojiName(thumbs, {})).toBe("thumbs up");
  });
});

describe("findEmoji", () => {
  const all = [languages.en, languages["pt-BR"], languages.vi];

  it("lists everything in order for an empty query", () => {
    expect(findEmoji("", all)).toEqual(EMOJI);
  });

  it("finds by name in English, Portuguese and Vietnamese (accents optional)", () => {
    expect(chars(findEmoji("thumbs", all))[0]).toBe("👍");
    expect(chars(findEmoji("joinha", [languages["pt-BR"]]))).toEqual(["👍"]);
    expect(chars(findEmoji("coracao", [languages["pt-BR"]]))[0]).toBe("❤️");
    expect(chars(findEmoji("vỗ tay", [languages.vi]))[0]).toBe("👏");
    expect(chars(findEmoji("vo tay", [languages.vi]))[0]).toBe("👏");
    // "cười ra nước mắt" starts with the word; "mặt cười" has it second.
    const laughs = chars(findEmoji("cuoi", [languages.vi]));
    expect(laughs[0]).toBe("😂");
    expect(laughs).toEqual(expect.arrayContaining(["😀", "😄"]));
  });

  it("finds by a search word, not only the name", () => {
    expect(chars(findEmoji("invoice", all))).toContain("🧾");
    expect(chars(findEmoji("obrigado", all))).toEqual(expect.arrayContaining(["🙏", "😊"]));
  });

  it("finds nothing for nonsense", () => {
    expect(findEmoji("qqqzzx", all)).toEqual([]);
  });
});

describe("insertAt", () => {
  it("puts the emoji at the caret and the caret after it", () => {
    expect(insertAt("Hello world", 5, 5, " 👋")).toEqual({ text: "Hello 👋 world", caret: 8 });
  });

  it("replaces a selection", () => {
    expect(insertAt("I am sad", 5, 8, "🙂")).toEqual({ text: "I am 🙂", caret: 7 });
  });

  it("clamps positions outside the text", () => {
    expect(insertAt("Hi", 10, 12, "!")).toEqual({ text: "Hi!", caret: 3 });
    expect(insertAt("Hi", -3, -1, "¡")).toEqual({ text: "¡Hi", caret: 1 });
  });
});
