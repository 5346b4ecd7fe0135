// What the signed-in member supervises: every team (owners, managers), their own teams (a team
// lead), or none. The server decides (GET /supervision/rights); the app only hides what it
// would refuse.
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";

export type Rights = { all_teams: boolean; team_ids: string[] };

/** Whether a conversation of `teamId` (null: of no team) is the member's to supervise. */
export function supervisesTeam(rights: Rights | undefined, teamId: string | null | undefined): boolean {
  if (!rights) return false;
  if (rights.all_teams) return true;
  return Boolean(teamId) && rights.team_ids.includes(teamId as string);
}

export function useRights() {
  return useQuery({
    queryKey: ["supervision-rights"],
    queryFn: () => unwrap(api.GET("/api/v1/supervision/rights")),
    staleTime: 60_000,
  });
}
