import { describe, expect, it } from "vitest";
import { EMOJI_GROUPS, type Emoji, MAX_RESULTS, emojiFrom, findEmoji, insertAt, loadEmoji, withTone } from "./emoji";

const chars = (found: Emoji[]) => found.map((e) => e.char);
const first = (found: Emoji[]) => found[0]?.char;

describe("the emoji data set", () => {
  it("loads every emoji of the reader's language once, in every category, without tone components", async () => {
    const pt = await loadEmoji("pt-BR");
    expect(pt.length).toBeGreaterThan(1800);
    expect(await loadEmoji("pt-BR")).toBe(pt);
    expect(new Set(pt.map((e) => e.id)).size).toBe(pt.length);
    expect(new Set(pt.map((e) => e.group))).toEqual(new Set(EMOJI_GROUPS));
    expect(pt.some((e) => e.id === "1F3FB")).toBe(false); // the light skin-tone modifier alone
    const thumbs = pt.find((e) => e.id === "1F44D");
    expect(thumbs?.name).toBe("polegar para cima");
    expect(thumbs?.words).toEqual(expect.arrayContaining(["joia", "thumbs up"]));
  });

  it("names emoji in Vietnamese and falls back to English for other languages", async () => {
    const vi = await loadEmoji("vi");
    expect(vi.find((e) => e.id === "1F600")?.name).toBe("mặt cười toe toét");
    const other = await loadEmoji("fr");
    expect(other.find((e) => e.id === "1F600")?.name).toBe("grinning face");
  });

  it("keeps each group in the data set's order", async () => {
    const en = await loadEmoji("en");
    expect(first(findEmoji("", en, "smileys"))).toBe("😀");
    expect(findEmoji("", en, "flags").every((e) => e.group === "flags")).toBe(true);
  });

  it("adds a skin tone only where the emoji has one, one tone for everyone in it", async () => {
    const en = await loadEmoji("en");
    const byId = (id: string) => en.find((e) => e.id === id) as Emoji;
    expect(withTone(byId("1F44D"), "dark")).toBe("👍🏿");
    expect(withTone(byId("1F44D"), "none")).toBe(byId("1F44D").char);
    expect(withTone(byId("1F600"), "dark")).toBe("😀");
    expect(withTone(byId("1F91D"), "medium")).toBe("🤝🏽");
  });
});

describe("findEmoji", () => {
  it("finds by name or keyword in the reader's language, accents optional", async () => {
    const pt = await loadEmoji("pt-BR");
    expect(first(findEmoji("polegar para cima", pt))).toBe("👍️");
    expect(chars(findEmoji("joia", pt))).toContain("👍️");
    expect(chars(findEmoji("coracao vermelho", pt))).toContain("❤️");
    const vi = await loadEmoji("vi");
    expect(first(findEmoji("vỗ tay", vi))).toBe("👏");
    expect(first(findEmoji("vo tay", vi))).toBe("👏");
  });

  it("finds by the English name too, whatever the reader's language", async () => {
    const vi = await loadEmoji("vi");
    expect(chars(findEmoji("thumbs up", vi))).toContain("👍️");
    expect(chars(findEmoji("receipt", vi))).toContain("🧾");
  });

  it("searches every category and caps what it shows", async () => {
    const en = await loadEmoji("en");
    expect(chars(findEmoji("pizza", en, "flags"))).toContain("🍕");
    expect(findEmoji("a", en).length).toBe(MAX_RESULTS);
    expect(findEmoji("qqqzzx", en)).toEqual([]);
  });

  it("builds the list from any data of the same shape", () => {
    const data = [
      { hexcode: "2764", label: "coração vermelho", unicode: "❤️", group: 8, order: 2, tags: ["amor"] },
      { hexcode: "1F600", label: "rosto risonho", unicode: "😀", group: 0, order: 1 },
      { hexcode: "1F3FB", label: "pele clara", unicode: "🏻", group: 2, order: 3 },
    ];
    const english = [{ hexcode: "2764", label: "red heart", unicode: "❤️", tags: ["love"] }];
    const list = emojiFrom(data, english);
    expect(list.map((e) => e.id)).toEqual(["1F600", "2764"]);
    expect(list[1]?.words).toEqual(["amor", "red heart", "love"]);
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
