// The quality review API as TanStack queries: scorecards, sampling settings, the review queue,
// one review, and the QA report.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type Schemas, api, unwrap } from "../api/client";
import { type ReportFilters, reportQuery } from "../reports/hooks";

export type Review = Schemas["ReviewRead"];
export type ReviewSummary = Schemas["ReviewSummary"];
export type ReviewStatus = Schemas["ReviewSummary"]["status"];
export type QualityReport = Schemas["QualityReportRead"];

export const QUALITY_KEY = ["quality"] as const;

export function useScorecards(includeArchived = false) {
  return useQuery({
    queryKey: [...QUALITY_KEY, "scorecards", includeArchived],
    queryFn: () => unwrap(api.GET("/api/v1/quality/scorecards", { params: { query: { include_archived: includeArchived } } })),
  });
}

export function useQualitySettings() {
  return useQuery({ queryKey: [...QUALITY_KEY, "settings"], queryFn: () => unwrap(api.GET("/api/v1/quality/settings")) });
}

export interface QueueFilters {
  agent_id?: string;
  reviewer_id?: string;
  status?: ReviewStatus;
}

export function useReviews(filters: QueueFilters) {
  return useQuery({
    queryKey: [...QUALITY_KEY, "reviews", filters],
    queryFn: () => unwrap(api.GET("/api/v1/quality/reviews", { params: { query: { ...filters, limit: 100 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useReview(id: string | undefined) {
  return useQuery({
    queryKey: [...QUALITY_KEY, "review", id],
    queryFn: () => unwrap(api.GET("/api/v1/quality/reviews/{review_id}", { params: { path: { review_id: id ?? "" } } })),
    enabled: Boolean(id),
  });
}

export function useQualityReport(filters: ReportFilters, groupBy: "day" | "week", enabled: boolean) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "quality", query, groupBy],
    queryFn: () => unwrap(api.GET("/api/v1/reports/quality", { params: { query: { ...query, group_by: groupBy } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}
