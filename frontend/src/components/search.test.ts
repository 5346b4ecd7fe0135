import { describe, expect, it } from "vitest";
import { fold, rank, score } from "./search";

describe("fold", () => {
  it("drops accents and case in all three languages", () => {
    expect(fold("Cười  Toe Toét")).toBe("cuoi toe toet");
    expect(fold("Ação Rápida")).toBe("acao rapida");
    expect(fold("Đóng cuộc trò chuyện")).toBe("dong cuoc tro chuyen");
  });
});

describe("rank", () => {
  const items = [
    { label: "Close the conversation", keywords: ["Close"] },
    { label: "Assign to me", keywords: ["take"] },
    { label: "Inbox: Closed", keywords: [] },
    { label: "Settings: Custom fields", keywords: ["Settings"] },
  ];

  it("puts a label that starts with the query first", () => {
    expect(rank("clo", items).map((i) => i.label)).toEqual(["Close the conversation", "Inbox: Closed"]);
  });

  it("finds by keyword, and needs every word of the query", () => {
    expect(rank("take", items).map((i) => i.label)).toEqual(["Assign to me"]);
    expect(rank("settings custom", items).map((i) => i.label)).toEqual(["Settings: Custom fields"]);
    expect(rank("settings tags", items)).toEqual([]);
  });

  it("forgives missing letters of a longer word, below real matches", () => {
    expect(rank("asgn", items).map((i) => i.label)).toEqual(["Assign to me"]);
    expect(score("asgn", items[1]!)).toBeLessThan(score("assign", items[1]!));
  });

  it("matches Vietnamese typed without accents", () => {
    const vi = [{ label: "Giao cho tôi" }, { label: "Đóng cuộc trò chuyện" }];
    expect(rank("dong", vi).map((i) => i.label)).toEqual(["Đóng cuộc trò chuyện"]);
    expect(rank("toi", vi).map((i) => i.label)).toEqual(["Giao cho tôi"]);
  });

  it("keeps the given order for an empty query and for equal scores, and honours the limit", () => {
    expect(rank("", items)).toEqual(items);
    expect(rank("  ", items, 2)).toEqual(items.slice(0, 2));
  });
});
