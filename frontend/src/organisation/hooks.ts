// The organisation overview, kept fresh by the admin's socket: no polling.
import { useQuery } from "@tanstack/react-query";
import { type Schemas, api, unwrap } from "../api/client";

export type OrganisationOverview = Schemas["OrganisationOverviewRead"];
export type OrganisationWorkspace = Schemas["OrganisationWorkspace"];

export const OVERVIEW_KEY = ["organisation", "overview"] as const;

/** Kept fresh by the socket: `organisation.load_changed` names a workspace whose load changed
 * (live/apply.ts; a burst makes one request). */
export function useOrganisationOverview() {
  return useQuery({
    queryKey: OVERVIEW_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/organisation/overview")),
    refetchOnWindowFocus: true,
  });
}
