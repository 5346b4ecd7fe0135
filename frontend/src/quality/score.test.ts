import { describe, expect, it } from "vitest";
import { liveScore, moved, shares } from "./score";

const card = {
  categories: [
    { id: "c1", name: "Greeting", weight: 1, items: [{ id: "a", label: "Name", description: "", kind: "yes_no" as const, is_critical: false }] },
    {
      id: "c2",
      name: "Resolution",
      weight: 3,
      items: [
        { id: "b", label: "Answered", description: "", kind: "yes_no_partial" as const, is_critical: false },
        { id: "c", label: "Tone", description: "", kind: "scale" as const, is_critical: false },
        { id: "d", label: "No personal data", description: "", kind: "yes_no" as const, is_critical: true },
      ],
    },
  ],
};

describe("live score", () => {
  it("weighs categories, halves partial and spreads the scale", () => {
    // As the server scores it (tests/quality/test_reviews.py): 56.25.
    expect(liveScore(card, { a: "no", b: "partial", c: "4", d: "yes" })).toEqual({ score: 56.25, failed: false, answered: 4, total: 4 });
  });

  it("fails the whole review on a failed critical item", () => {
    expect(liveScore(card, { a: "yes", b: "yes", c: "5", d: "no" }).score).toBe(0);
  });

  it("leaves out what does not apply and what is not answered yet", () => {
    expect(liveScore(card, { a: "yes" })).toEqual({ score: 100, failed: false, answered: 1, total: 4 });
    expect(liveScore(card, { a: "na" }).score).toBeNull();
  });
});

describe("editor helpers", () => {
  it("previews each category's share of the score", () => {
    expect(shares([1, 3])).toEqual([25, 75]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });

  it("reorders one place at a time", () => {
    expect(moved(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });
});
