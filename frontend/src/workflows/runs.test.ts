import { describe, expect, it } from "vitest";
import { refreshEvery } from "./api";

describe("refreshing runs", () => {
  it("is quick while one runs, slow while they wait, and stops when all have ended", () => {
    expect(refreshEvery([{ status: "waiting" }, { status: "running" }])).toBe(3_000);
    expect(refreshEvery([{ status: "waiting" }, { status: "completed" }])).toBe(30_000);
    expect(refreshEvery([{ status: "failed" }, { status: "cancelled" }])).toBe(false);
    expect(refreshEvery(undefined)).toBe(false);
  });
});
