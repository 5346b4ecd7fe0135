// Chat routes in the Routing report: per route (a menu option or a keyword of a workflow) and
// per agent, conversations offered, handled by an agent, sent back to the menu, and the time to
// redirect; a small chart compares the routes.
import { BarChart } from "@mantine/charts";
import { Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { type ChatRouteFigures as Figures, chartRows, handledShare } from "./chatRoutes";
import { type Column, type OnDrill, SortableTable } from "./SortableTable";


function columns<Row extends Figures>(label: (key: string) => string): Column<Row>[] {
  return [
    { key: "offered", label: label("offered"), kind: "count", value: (r) => r.offered, previous: (r) => r.previous_offered },
    { key: "handled", label: label("handled"), kind: "count", value: (r) => r.handled },
    { key: "handledShare", label: label("handledShare"), kind: "share", value: (r) => handledShare(r) },
    { key: "redirected", label: label("redirected"), kind: "count", value: (r) => r.redirected },
    { key: "timeToRedirect", label: label("timeToRedirect"), kind: "duration", value: (r) => r.time_to_redirect.median },
  ];
}

export function ChatRoutesSection({ data, onDrill }: { data: Schemas["RoutingRead"]; onDrill: OnDrill }) {
  const { t } = useTranslation();
  const label = (key: string) => t(`chatRoutes.report.${key}`);
  const chart = chartRows(data.chat_routes, label);
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        {label("title")}
      </Title>
      <Text size="sm" c="dimmed">
        {label("note")}
      </Text>
      {chart.length > 0 && (
        <BarChart
          h={Math.max(140, chart.length * 64)}
          data={chart}
          dataKey="route"
          orientation="vertical"
          yAxisProps={{ width: 120 }}
          aria-label={label("chart")}
          series={[
            { name: label("offered"), color: "blue.6" },
            { name: label("handled"), color: "teal.6" },
            { name: label("redirected"), color: "orange.6" },
          ]}
          withLegend
        />
      )}
      <SortableTable
        label={label("byRoute")}
        rows={data.chat_routes}
        rowKey={(row) => row.key}
        rowName={(row) => row.label}
        nameLabel={label("route")}
        columns={columns(label)}
        onDrill={onDrill}
        minWidth={620}
      />
      <Title order={4} size="h6">
        {label("byAgent")}
      </Title>
      <SortableTable
        label={label("byAgent")}
        rows={data.chat_route_agents}
        rowKey={(row) => row.id ?? "none"}
        rowName={(row) => row.name ?? (row.id ? t("breakdowns.removed") : label("nobody"))}
        nameLabel={t("reports.agents.name")}
        columns={columns(label)}
        onDrill={onDrill}
        minWidth={620}
      />
    </Stack>
  );
}
