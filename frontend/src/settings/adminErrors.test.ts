import type { TFunction } from "i18next";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { catalogues } from "../i18n";
import { adminProblem, memberProblem } from "./adminErrors";

// The English catalogue looked up by dotted key, as i18next does.
const t = ((key: string) =>
  key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalogues.en) ?? key) as unknown as TFunction;

describe("refusals in an administrator's words", () => {
  it("names what already has the name", () => {
    const taken = new ApiError(409, "conflict", "a tag with this name exists", "name");
    expect(adminProblem(t, taken, "tag")).toBe("A tag with this name exists.");
    expect(adminProblem(t, new ApiError(409, "conflict", "x", "name"), "team")).toBe("A team with this name exists.");
    expect(adminProblem(t, new ApiError(409, "conflict", "x", "shortcut"), "canned")).toBe(
      "A canned response with this shortcut exists.",
    );
  });

  it("says when the role does not allow it, and otherwise keeps the server's message", () => {
    expect(adminProblem(t, new ApiError(403, "forbidden", "owners only"), "team")).toBe("Your role does not allow this change.");
    const busy = new ApiError(409, "conflict", "this channel has conversations: deactivate it instead", "channel_id");
    expect(adminProblem(t, busy, "channel")).toBe("this channel has conversations: deactivate it instead");
  });

  it("explains a refused change to a member", () => {
    expect(memberProblem(t, new ApiError(409, "conflict", "a workspace needs at least one owner"))).toBe(
      "A workspace needs at least one owner: make someone else owner first.",
    );
    expect(memberProblem(t, new ApiError(422, "invalid", "you cannot disable yourself", "user_id"))).toBe(
      "You cannot disable your own account.",
    );
    expect(memberProblem(t, new ApiError(403, "forbidden", "this account is also used elsewhere"))).toBe(
      "this account is also used elsewhere",
    );
  });
});
