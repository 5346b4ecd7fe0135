import { describe, expect, it } from "vitest";
import { supervisesTeam } from "./rights";

describe("supervisesTeam", () => {
  it("lets owners and managers supervise every conversation, with a team or without", () => {
    const all = { all_teams: true, team_ids: [] };
    expect(supervisesTeam(all, "t1")).toBe(true);
    expect(supervisesTeam(all, null)).toBe(true);
  });
  it("keeps a team lead to their teams, and conversations of no team out", () => {
    const lead = { all_teams: false, team_ids: ["t1"] };
    expect(supervisesTeam(lead, "t1")).toBe(true);
    expect(supervisesTeam(lead, "t2")).toBe(false);
    expect(supervisesTeam(lead, null)).toBe(false);
  });
  it("supervises nothing before the rights are known", () => {
    expect(supervisesTeam(undefined, "t1")).toBe(false);
  });
});
