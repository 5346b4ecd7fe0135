import { describe, expect, it } from "vitest";
import { tagOptions } from "./tagOptions";

describe("a tag picker's choices", () => {
  it("offers the workspace's tags and keeps an archived one already applied", () => {
    const offered = [
      { id: "a", name: "hired" },
      { id: "b", name: "lead" },
    ];
    const applied = [
      { id: "b", name: "lead" },
      { id: "z", name: "old campaign" },
    ];
    expect(tagOptions(offered, applied)).toEqual([
      { value: "a", label: "hired" },
      { value: "b", label: "lead" },
      { value: "z", label: "old campaign" },
    ]);
    expect(tagOptions(offered, [])).toHaveLength(2);
  });
});
