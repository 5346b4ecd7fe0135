import { describe, expect, it } from "vitest";
import { abandonmentLevel, firstResponseLevel, queueLevel, serviceLevel, slugFrom, waitLevel } from "./thresholds";

describe("levels", () => {
  it("reads waits by minutes", () => {
    expect(waitLevel(null)).toBe("none");
    expect(waitLevel(299)).toBe("good");
    expect(waitLevel(300)).toBe("watch");
    expect(waitLevel(900)).toBe("act");
  });

  it("keeps a first response within five minutes good", () => {
    expect(firstResponseLevel(300)).toBe("good");
    expect(firstResponseLevel(301)).toBe("watch");
    expect(firstResponseLevel(901)).toBe("act");
    expect(firstResponseLevel(undefined)).toBe("none");
  });

  it("reads shares", () => {
    expect(serviceLevel(0.8)).toBe("good");
    expect(serviceLevel(0.6)).toBe("watch");
    expect(serviceLevel(0.59)).toBe("act");
    expect(serviceLevel(null)).toBe("none");
    expect(abandonmentLevel(0.05)).toBe("good");
    expect(abandonmentLevel(0.15)).toBe("watch");
    expect(abandonmentLevel(0.5)).toBe("act");
  });

  it("calls a queue nobody can take urgent", () => {
    expect(queueLevel(0, 0)).toBe("good");
    expect(queueLevel(3, 2)).toBe("watch");
    expect(queueLevel(3, 0)).toBe("act");
  });
});

describe("slugFrom", () => {
  it("makes an address name the API accepts", () => {
    const valid = /^[a-z0-9][a-z0-9-]{1,79}$/;
    for (const name of ["Talenta · São Paulo", "Chi nhánh Đà Nẵng", "  Acme!! ", "X", "a".repeat(120)]) {
      expect(slugFrom(name)).toMatch(valid);
    }
    expect(slugFrom("Talenta · São Paulo")).toBe("talenta-sao-paulo");
    expect(slugFrom("Chi nhánh Đà Nẵng")).toBe("chi-nhanh-da-nang");
    expect(slugFrom("X")).toBe("x-ws");
    expect(slugFrom("···")).toBe("");
  });
});
