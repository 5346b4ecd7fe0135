// Figures of the Routing report's chat routes that the table and the chart share.
import type { Schemas } from "../api/client";

export type ChatRouteFigures = Schemas["ChatRouteRow"] | Schemas["ChatRouteAgentRow"];

/** Handled ÷ offered; null when nothing was offered (the period before only). */
export function handledShare(row: ChatRouteFigures): number | null {
  return row.offered ? row.handled / row.offered : null;
}

/** One bar group per route offered in the period, its series named by `label`. */
export function chartRows(rows: Schemas["ChatRouteRow"][], label: (key: string) => string): Record<string, string | number>[] {
  return rows
    .filter((row) => row.offered > 0)
    .map((row) => ({
      route: row.label,
      [label("offered")]: row.offered,
      [label("handled")]: row.handled,
      [label("redirected")]: row.redirected,
    }));
}
