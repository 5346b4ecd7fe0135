// What the app sends to ask for an export, and how far an export has got.
import type { Schemas } from "../api/client";
import { type Grouping, type MetricName, type ReportFilters, reportQuery } from "./hooks";

type ExportRead = Schemas["ExportRead"];

/** The export of a report with the filters on screen (a custom period without both dates: today). */
export function exportBody(
  kind: ExportRead["kind"],
  format: ExportRead["format"],
  filters: ReportFilters,
  extra: { groupBy?: Grouping; metric?: MetricName; detail?: string },
): Schemas["ExportCreate"] {
  const q = reportQuery(filters);
  return {
    kind,
    format,
    period: q.period,
    tz: q.tz,
    start_date: q.start_date ?? null,
    end_date: q.end_date ?? null,
    team_ids: filters.team_id,
    agent_ids: filters.agent_id,
    channel_ids: filters.channel_id,
    tag_ids: filters.tag_id ?? [],
    outcomes: filters.outcome ?? [],
    group_by: extra.groupBy ?? "day",
    metric: extra.metric ?? null,
    detail: extra.detail ?? null,
  };
}

/** Rows written so far, as a whole percentage of the rows counted (0 until they are counted). */
export function progressPercent(item: Pick<ExportRead, "rows_done" | "rows_total">): number {
  const total = item.rows_total ?? 0;
  return total > 0 ? Math.min(100, Math.round((item.rows_done / total) * 100)) : 0;
}
