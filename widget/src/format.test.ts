import { describe, expect, it } from "vitest";
import { dayLabel, initials, pictureUrl, timeLabel } from "./format";

describe("dayLabel", () => {
  const now = new Date(2026, 4, 10, 15, 0);
  it("says today and yesterday", () => {
    expect(dayLabel(new Date(2026, 4, 10, 8).toISOString(), now, "en", "Today", "Yesterday")).toBe("Today");
    expect(dayLabel(new Date(2026, 4, 9, 23).toISOString(), now, "en", "Today", "Yesterday")).toBe("Yesterday");
  });

  it("writes older days in the visitor's language", () => {
    expect(dayLabel(new Date(2026, 4, 1).toISOString(), now, "pt-BR", "Hoje", "Ontem")).toBe("1 de maio de 2026");
    expect(dayLabel(new Date(2026, 4, 1).toISOString(), now, "en", "Today", "Yesterday")).toBe("May 1, 2026");
  });
});

describe("timeLabel", () => {
  it("shows hours and minutes", () => {
    expect(timeLabel(new Date(2026, 4, 1, 9, 5).toISOString(), "pt-BR")).toBe("09:05");
  });
});

describe("initials", () => {
  it("takes the first and last names' first letters", () => {
    expect(initials("Ana Souza")).toBe("AS");
    expect(initials("bob")).toBe("B");
    expect(initials("  Nguyễn Văn  Anh ")).toBe("NA");
    expect(initials("")).toBe("?");
  });
});

describe("pictureUrl", () => {
  const base = "https://desk.example";
  const page = "https://shop.example/contact";
  it("loads the agent's picture from the Frontdesk host", () => {
    expect(pictureUrl("/api/widget/v1/channels/c/pictures/p", base, page)).toBe("https://desk.example/api/widget/v1/channels/c/pictures/p");
    expect(pictureUrl("/api/widget/v1/channels/c/pictures/p", "", page)).toBe("https://shop.example/api/widget/v1/channels/c/pictures/p");
  });
  it("never loads a picture from anywhere else", () => {
    for (const outside of ["https://tracker.example/pixel.png", "//tracker.example/x.png", "javascript:alert(1)", "data:image/png;base64,AA", "/api/v1/attachments/x/content"]) {
      expect(pictureUrl(outside, base, page)).toBeNull();
    }
    expect(pictureUrl(null, base, page)).toBeNull();
  });
});
