// The breakdown reports: per team and per channel tables, service level and routing, each
// fetched while its tab is open and refreshed with the other reports.
import { Alert, Loader, Stack, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { type Schemas, api, unwrap } from "../api/client";
import { type ReportFilters, reportQuery } from "./hooks";
import { RoutingPanel } from "./Routing";
import { ServiceLevelPanel } from "./ServiceLevel";
import { type Column, type OnDrill, SortableTable } from "./SortableTable";

export type BreakdownKind = "teams" | "channels" | "service-level" | "routing";
/** The breakdown tabs: their value and their label's key. */
export const BREAKDOWNS: [BreakdownKind, string][] = [
  ["teams", "teams"],
  ["channels", "channels"],
  ["service-level", "serviceLevel"],
  ["routing", "routing"],
];
type BreakdownRow = Schemas["BreakdownRow"];

function useBreakdown(kind: BreakdownKind, filters: ReportFilters, enabled: boolean) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", kind, query],
    queryFn: async (): Promise<unknown> => {
      if (kind === "teams") return unwrap(api.GET("/api/v1/reports/teams", { params: { query } }));
      if (kind === "channels") return unwrap(api.GET("/api/v1/reports/channels", { params: { query } }));
      if (kind === "routing") return unwrap(api.GET("/api/v1/reports/routing", { params: { query } }));
      return unwrap(api.GET("/api/v1/reports/service-level", { params: { query: { ...query, group_by: "day" } } }));
    },
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useResponses(filters: ReportFilters, enabled: boolean) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "responses", query],
    queryFn: () => unwrap(api.GET("/api/v1/reports/responses", { params: { query: { ...query, group_by: "day" } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

function rowColumns(t: TFunction, narrow: (row: BreakdownRow) => Partial<ReportFilters> | null): Column<BreakdownRow>[] {
  const drill = (metric: Parameters<OnDrill>[0]) => (row: BreakdownRow) => {
    const patch = narrow(row);
    return patch ? { metric, patch } : null;
  };
  const label = (key: string) => t(`breakdowns.columns.${key}`);
  return [
    { key: "opened", label: label("opened"), kind: "count", value: (r) => r.current.opened, previous: (r) => r.previous.opened, better: "up", drill: drill("opened") },
    { key: "closed", label: label("closed"), kind: "count", value: (r) => r.current.closed, previous: (r) => r.previous.closed, better: "up", drill: drill("closed") },
    { key: "answered", label: label("answered"), kind: "count", value: (r) => r.current.answered, previous: (r) => r.previous.answered, better: "up", drill: drill("first_response") },
    { key: "abandoned", label: label("abandoned"), kind: "count", value: (r) => r.current.abandoned, previous: (r) => r.previous.abandoned, better: "down", drill: drill("abandoned") },
    { key: "frt", label: label("frt"), kind: "duration", value: (r) => r.current.first_response.wall.avg, previous: (r) => r.previous.first_response.wall.avg, better: "down", drill: drill("first_response") },
    { key: "frt_median", label: label("frt_median"), kind: "duration", value: (r) => r.current.first_response.wall.median, previous: (r) => r.previous.first_response.wall.median, better: "down" },
    { key: "frt_p90", label: label("frt_p90"), kind: "duration", value: (r) => r.current.first_response.wall.p90, previous: (r) => r.previous.first_response.wall.p90, better: "down" },
    { key: "frt_business", label: label("frt_business"), kind: "duration", value: (r) => r.current.first_response.business.median, previous: (r) => r.previous.first_response.business.median, better: "down" },
    { key: "response", label: label("response"), kind: "duration", value: (r) => r.current.response.wall.median, previous: (r) => r.previous.response.wall.median, better: "down", drill: drill("response") },
    { key: "resolution", label: label("resolution"), kind: "duration", value: (r) => r.current.resolution.wall.median, previous: (r) => r.previous.resolution.wall.median, better: "down", drill: drill("closed") },
    { key: "resolution_business", label: label("resolution_business"), kind: "duration", value: (r) => r.current.resolution.business.median, previous: (r) => r.previous.resolution.business.median, better: "down" },
    { key: "service_level", label: label("service_level"), kind: "share", value: (r) => r.current.service_level, previous: (r) => r.previous.service_level, better: "up", drill: drill("first_response_met") },
    { key: "sla_met", label: label("sla_met"), kind: "share", value: (r) => r.current.sla_met_rate ?? null, previous: (r) => r.previous.sla_met_rate ?? null, better: "up" },
    { key: "asa", label: label("asa"), kind: "duration", value: (r) => r.current.average_speed_of_answer, previous: (r) => r.previous.average_speed_of_answer, better: "down" },
    { key: "abandonment", label: label("abandonment"), kind: "share", value: (r) => r.current.abandonment_rate, previous: (r) => r.previous.abandonment_rate, better: "down" },
    { key: "waiting_now", label: label("waiting_now"), kind: "count", value: (r) => r.waiting_now },
  ];
}

function BreakdownTable({ kind, data, onDrill }: { kind: "teams" | "channels"; data: Schemas["BreakdownRead"]; onDrill: OnDrill }) {
  const { t } = useTranslation();
  const name = (row: BreakdownRow) =>
    row.name ?? (row.id ? t("breakdowns.removed") : t(kind === "teams" ? "breakdowns.noTeam" : "breakdowns.noChannel"));
  const narrow = (row: BreakdownRow): Partial<ReportFilters> | null =>
    row.id === null ? null : kind === "teams" ? { team_id: [row.id] } : { channel_id: [row.id] };
  return (
    <SortableTable
      label={t(`breakdowns.tabs.${kind}`)}
      rows={data.rows}
      rowKey={(row) => row.id ?? "none"}
      rowName={name}
      nameLabel={t(kind === "teams" ? "breakdowns.team" : "breakdowns.channel")}
      columns={rowColumns(t, narrow)}
      onDrill={onDrill}
      minWidth={1500}
    />
  );
}

/** One breakdown tab's content: its report, or a loader, or what went wrong. */
export function Breakdown({
  kind,
  filters,
  active,
  onDrill,
}: {
  kind: BreakdownKind;
  filters: ReportFilters;
  active: boolean;
  onDrill: OnDrill;
}) {
  const { t } = useTranslation();
  const report = useBreakdown(kind, filters, active);
  const responses = useResponses(filters, active && kind === "service-level");
  if (report.error) {
    return (
      <Alert color="red" role="alert">
        {report.error.message}
      </Alert>
    );
  }
  if (!report.data) return <Loader aria-label={t("reports.loading")} />;
  const filtered = Boolean(filters.tag_id?.length || filters.outcome?.length);
  return (
    <Stack gap="md">
      {filtered && (
        <Text size="xs" c="dimmed">
          {t("breakdowns.factsNote")}
        </Text>
      )}
      {kind === "teams" || kind === "channels" ? (
        <BreakdownTable kind={kind} data={report.data as Schemas["BreakdownRead"]} onDrill={onDrill} />
      ) : kind === "routing" ? (
        <RoutingPanel data={report.data as Schemas["RoutingRead"]} onDrill={onDrill} />
      ) : (
        <ServiceLevelPanel
          data={report.data as Schemas["ServiceLevelRead"]}
          responses={responses.data}
          onDrill={onDrill}
        />
      )}
    </Stack>
  );
}
