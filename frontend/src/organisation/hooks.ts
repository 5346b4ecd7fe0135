// The organisation overview, kept fresh by the admin's socket: no polling.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { type Schemas, api, unwrap } from "../api/client";
import { useFrames } from "../live/frames";

export type OrganisationOverview = Schemas["OrganisationOverviewRead"];
export type OrganisationWorkspace = Schemas["OrganisationWorkspace"];

export const OVERVIEW_KEY = ["organisation", "overview"] as const;
// The server names the workspace whose load changed; a burst makes one request.
export const LOAD_SIGNAL = "organisation.load_changed";
const BURST_MS = 1_000;

export function useOrganisationOverview() {
  const queries = useQueryClient();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  // Signals are not replayed: after a (re)connection ("hello") or a "resync" read again.
  useFrames([LOAD_SIGNAL, "hello", "resync"], () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void queries.invalidateQueries({ queryKey: OVERVIEW_KEY });
    }, BURST_MS);
  });
  return useQuery({
    queryKey: OVERVIEW_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/organisation/overview")),
    refetchOnWindowFocus: true,
  });
}
