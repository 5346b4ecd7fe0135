// Report queries, kept fresh: the server says `reports.updated` when the figures moved.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type Schemas, api, unwrap } from "../api/client";

export type Overview = Schemas["OverviewRead"];
export type Agents = Schemas["AgentsRead"];
export type AgentRow = Schemas["AgentRow"];
export type FactRow = Schemas["FactRow"];
export type Staffing = Schemas["StaffingRead"];
export type Preset = "today" | "yesterday" | "last_7_days" | "last_30_days" | "this_month" | "custom";
export type Grouping = "hour" | "day" | "week" | "month";
export type MetricName =
  | "opened"
  | "reopened"
  | "assigned"
  | "accepted"
  | "first_response"
  | "first_response_met"
  | "assignment_response"
  | "response"
  | "closed"
  | "handle"
  | "transferred"
  | "abandoned"
  | "abandoned_short"
  | "work"
  | "csat";

export interface ReportFilters {
  period: Preset;
  tz: string;
  start_date?: string;
  end_date?: string;
  team_id: string[];
  agent_id: string[];
  channel_id: string[];
  /** Conversations carrying any of these tags; segments closed with any of these outcomes. */
  tag_id?: string[];
  outcome?: string[];
}

/** The query string of the filters (a custom period without both dates asks for today). */
export function reportQuery(filters: ReportFilters) {
  const custom = filters.period === "custom" && filters.start_date && filters.end_date;
  return {
    period: custom ? ("custom" as const) : filters.period === "custom" ? ("today" as const) : filters.period,
    tz: filters.tz,
    ...(custom ? { start_date: filters.start_date, end_date: filters.end_date } : {}),
    team_id: filters.team_id.length ? filters.team_id : undefined,
    agent_id: filters.agent_id.length ? filters.agent_id : undefined,
    channel_id: filters.channel_id.length ? filters.channel_id : undefined,
    tag_id: filters.tag_id?.length ? filters.tag_id : undefined,
    outcome: filters.outcome?.length ? filters.outcome : undefined,
  };
}

export function useOverview(filters: ReportFilters, groupBy: Grouping, enabled: boolean) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "overview", query, groupBy],
    queryFn: () =>
      unwrap(api.GET("/api/v1/reports/overview", { params: { query: { ...query, group_by: groupBy } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAgentReport(filters: ReportFilters) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "agents", query],
    queryFn: () => unwrap(api.GET("/api/v1/reports/agents", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useReportConversations(
  filters: ReportFilters,
  metric: MetricName | null,
  cursor: string | null,
  detail?: string,
) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "conversations", query, metric, cursor, detail],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/reports/conversations", {
          params: { query: { ...query, metric: metric ?? "opened", detail, cursor: cursor ?? undefined, limit: 25 } },
        }),
      ),
    enabled: metric !== null,
  });
}

export function useStaffing(filters: ReportFilters, target: { level: number; seconds: number; concurrency: number }, enabled: boolean) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "staffing", query, target],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/reports/staffing", {
          params: {
            query: {
              ...query,
              target_service_level: target.level,
              target_seconds: target.seconds,
              concurrency: target.concurrency,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}
