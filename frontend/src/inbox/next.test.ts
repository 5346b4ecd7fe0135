import { describe, expect, it } from "vitest";
import { nextAfterClose } from "./next";

describe("the conversation after closing one", () => {
  it("is the one below it in the view", () => {
    expect(nextAfterClose(["a", "b", "c"], "b")).toBe("c");
    expect(nextAfterClose(["a", "b", "c"], "a")).toBe("b");
  });

  it("is the one above when it was the last", () => {
    expect(nextAfterClose(["a", "b", "c"], "c")).toBe("b");
  });

  it("is none when it was the only one: the empty state", () => {
    expect(nextAfterClose(["a"], "a")).toBeNull();
    expect(nextAfterClose([], "a")).toBeNull();
  });

  it("is the view's first when the closed one was not in the view", () => {
    expect(nextAfterClose(["a", "b"], "z")).toBe("a");
  });
});
