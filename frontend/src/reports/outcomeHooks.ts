// Queries of the outcomes and activity reports (kept fresh by `useLiveReports`: keys under "reports").
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type Schemas, api, unwrap } from "../api/client";
import { type ReportFilters, reportQuery } from "./hooks";

export type OutcomesData = Schemas["OutcomesRead"];
export type Progress = Schemas["OutcomeProgress"];
export type Target = Schemas["OutcomeTargetRead"];
export type Heatmap = Schemas["HeatmapRead"];
export type AgentStates = Schemas["AgentStatesRead"];
export type HeatmapMetric = "opened" | "closed";

export function useOutcomes(filters: ReportFilters, enabled = true) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "outcomes", query],
    queryFn: () => unwrap(api.GET("/api/v1/reports/outcomes", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useTargets() {
  return useQuery({
    queryKey: ["reports", "targets"],
    queryFn: () => unwrap(api.GET("/api/v1/reports/targets")),
  });
}

export function useHeatmap(filters: ReportFilters, metric: HeatmapMetric, enabled: boolean) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "heatmap", query, metric],
    queryFn: () => unwrap(api.GET("/api/v1/reports/heatmap", { params: { query: { ...query, metric } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAgentStates(filters: ReportFilters, day: string | null, enabled: boolean) {
  const query = {
    tz: filters.tz,
    day: day ?? undefined,
    team_id: filters.team_id.length ? filters.team_id : undefined,
    agent_id: filters.agent_id.length ? filters.agent_id : undefined,
  };
  return useQuery({
    queryKey: ["reports", "agent-states", query],
    queryFn: () => unwrap(api.GET("/api/v1/reports/agent-states", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}
