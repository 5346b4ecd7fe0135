// Reports → Quality: the QA score of submitted reviews per agent by week (or day) as a chart,
// with the team average, and each agent's figures beside the period before.
import { LineChart } from "@mantine/charts";
import { Alert, Group, Loader, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/client";
import type { ReportFilters } from "../reports/hooks";
import { type QualityReport, useQualityReport } from "./api";

const COLOURS = ["blue.6", "grape.6", "orange.6", "cyan.6", "pink.6", "lime.7", "violet.6", "red.6"];

/** One row per day or week: the team average and each agent's score (null where none). */
export function chartRows(data: QualityReport, team: string, label: (start: string) => string) {
  const starts = [...new Set([...data.series.map((p) => p.start), ...data.agents.flatMap((a) => a.series.map((p) => p.start))])].sort();
  return starts.map((start) => {
    const row: Record<string, string | number | null> = { when: label(start) };
    row[team] = data.series.find((p) => p.start === start)?.average_score ?? null;
    for (const agent of data.agents) row[agent.name] = agent.series.find((p) => p.start === start)?.average_score ?? null;
    return row;
  });
}

export function QualityReportPanel({ filters, enabled }: { filters: ReportFilters; enabled: boolean }) {
  const { t, i18n } = useTranslation();
  const [groupBy, setGroupBy] = useState<"week" | "day">("week");
  const report = useQualityReport(filters, groupBy, enabled);
  if (report.error) return <Alert color="red">{errorMessage(report.error)}</Alert>;
  if (!report.data) return <Loader aria-label={t("reports.loading")} />;
  const data = report.data;
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  const score = (v: number | null | undefined) => (v === null || v === undefined ? "—" : number.format(v));
  const day = new Intl.DateTimeFormat(i18n.language, { timeZone: data.period.timezone, day: "numeric", month: "short" });
  const team = t("quality.report.team");
  const label = (start: string) => (groupBy === "week" ? t("quality.report.week", { day: day.format(new Date(start)) }) : day.format(new Date(start)));
  const rows = chartRows(data, team, label);
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
        {[
          [t("quality.report.average"), score(data.current.average_score), score(data.previous.average_score)],
          [t("quality.report.reviews"), String(data.current.reviews), String(data.previous.reviews)],
          [t("quality.report.failed"), String(data.current.failed), String(data.previous.failed)],
        ].map(([name, value, before]) => (
          <Paper key={name} withBorder p="sm" radius="md">
            <Text size="xs" c="dimmed">
              {name}
            </Text>
            <Text fw={700} size="xl">
              {value}
            </Text>
            <Text size="xs" c="dimmed">
              {t("quality.report.before", { value: before })}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Group justify="flex-end">
        <SegmentedControl
          size="xs"
          aria-label={t("quality.report.groupBy")}
          value={groupBy}
          onChange={(v) => setGroupBy(v as "week" | "day")}
          data={[
            { value: "week", label: t("quality.report.byWeek") },
            { value: "day", label: t("quality.report.byDay") },
          ]}
        />
      </Group>
      {rows.length === 0 ? (
        <Text c="dimmed">{t("quality.report.empty")}</Text>
      ) : (
        <LineChart
          h={260}
          data={rows}
          dataKey="when"
          connectNulls
          yAxisProps={{ domain: [0, 100] }}
          aria-label={t("quality.report.chart")}
          series={[
            { name: team, color: "teal.8", strokeDasharray: "5 5" },
            ...data.agents.map((a, i) => ({ name: a.name, color: COLOURS[i % COLOURS.length] ?? "gray.6" })),
          ]}
        />
      )}
      {data.agents.length > 0 && (
        <Table.ScrollContainer minWidth={360}>
          <Table striped aria-label={t("quality.report.perAgent")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("quality.queue.agent")}</Table.Th>
                <Table.Th>{t("quality.report.average")}</Table.Th>
                <Table.Th>{t("quality.report.reviews")}</Table.Th>
                <Table.Th>{t("quality.report.failed")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.agents.map((a) => (
                <Table.Tr key={a.agent_id}>
                  <Table.Td>{a.name}</Table.Td>
                  <Table.Td>{score(a.figures.average_score)}</Table.Td>
                  <Table.Td>{a.figures.reviews}</Table.Td>
                  <Table.Td>{a.figures.failed}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
