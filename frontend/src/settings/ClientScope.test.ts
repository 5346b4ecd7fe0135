import { describe, expect, it } from "vitest";
import { NO_SCOPE, scopeBody, scopeIds } from "./ClientScope";

describe("a viewer's client scope", () => {
  it("reads the ids of a member's scope, or none", () => {
    expect(scopeIds(null)).toEqual(NO_SCOPE);
    expect(
      scopeIds({ teams: [{ id: "t1", name: "Atacadão" }], channels: [{ id: "c1", name: "Careers" }] }),
    ).toEqual({ team_ids: ["t1"], channel_ids: ["c1"] });
  });

  it("sends null when nothing is chosen, lifting the limit", () => {
    expect(scopeBody(NO_SCOPE)).toBeNull();
    expect(scopeBody({ team_ids: [], channel_ids: ["c1"] })).toEqual({ team_ids: [], channel_ids: ["c1"] });
  });
});
