// Service level: per team against its promised reply time, the service level over time, and
// how long replies took (a distribution and by hour of the day).
import { BarChart, LineChart } from "@mantine/charts";
import { Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { formatDuration } from "./format";
import { type Column, type OnDrill, SortableTable, show } from "./SortableTable";

type Row = Schemas["ServiceRow"];
type Figures = Schemas["ServiceFigures"];

function Figure({ label, value, before }: { label: string; value: string; before: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {t("reports.previous", { value: before })}
      </Text>
    </Paper>
  );
}

/** "< 1 min", "1 min – 5 min", "1 d+": a distribution bucket's bounds, read in the language. */
function bucketLabel(low: number, high: number | null | undefined, language: string): string {
  if (!high) return `≥ ${formatDuration(low, language)}`;
  if (low === 0) return `< ${formatDuration(high, language)}`;
  return `${formatDuration(low, language)} – ${formatDuration(high, language)}`;
}

export function ServiceLevelPanel({
  data,
  responses,
  onDrill,
}: {
  data: Schemas["ServiceLevelRead"];
  responses: Schemas["ResponsesRead"] | undefined;
  onDrill: OnDrill;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const label = (key: string) => t(`breakdowns.service.${key}`);
  const summary: { key: string; kind: "share" | "duration" | "count"; value: (f: Figures) => number | null }[] = [
    { key: "service_level", kind: "share", value: (f) => f.service_level },
    { key: "asa", kind: "duration", value: (f) => f.average_speed_of_answer },
    { key: "abandonment", kind: "share", value: (f) => f.abandonment_rate },
    { key: "abandonment_with_short", kind: "share", value: (f) => f.abandonment_rate_with_short },
    { key: "short_abandoned", kind: "count", value: (f) => f.short_abandoned },
  ];
  const team = (row: Row) => (row.team_id ? { team_id: [row.team_id] } : null);
  const drill = (metric: Parameters<OnDrill>[0]) => (row: Row) => {
    const patch = team(row);
    return patch ? { metric, patch } : null;
  };
  const columns: Column<Row>[] = [
    { key: "threshold", label: label("threshold"), kind: "duration", value: (r) => r.threshold_seconds },
    { key: "service_level", label: label("service_level"), kind: "share", value: (r) => r.current.service_level, previous: (r) => r.previous.service_level, better: "up", drill: drill("first_response_met") },
    { key: "answered", label: label("answered"), kind: "count", value: (r) => r.current.answered, previous: (r) => r.previous.answered, better: "up", drill: drill("first_response") },
    { key: "met", label: label("met"), kind: "count", value: (r) => r.current.met, previous: (r) => r.previous.met, better: "up", drill: drill("first_response_met") },
    { key: "asa", label: label("asa"), kind: "duration", value: (r) => r.current.average_speed_of_answer, previous: (r) => r.previous.average_speed_of_answer, better: "down" },
    { key: "abandoned", label: label("abandoned"), kind: "count", value: (r) => r.current.abandoned, previous: (r) => r.previous.abandoned, better: "down", drill: drill("abandoned") },
    { key: "short_abandoned", label: label("short_abandoned"), kind: "count", value: (r) => r.current.short_abandoned, previous: (r) => r.previous.short_abandoned },
    { key: "abandonment", label: label("abandonment"), kind: "share", value: (r) => r.current.abandonment_rate, previous: (r) => r.previous.abandonment_rate, better: "down" },
    { key: "abandonment_with_short", label: label("abandonment_with_short"), kind: "share", value: (r) => r.current.abandonment_rate_with_short, previous: (r) => r.previous.abandonment_rate_with_short, better: "down" },
  ];
  const day = new Intl.DateTimeFormat(language, { timeZone: data.period.timezone, day: "numeric", month: "short" });
  const slName = label("service_level");
  const series = data.series.map((p) => ({
    when: day.format(new Date(p.start)),
    [slName]: p.service_level === null ? null : Math.round(p.service_level * 1000) / 10,
  }));
  const first = label("first_response");
  const reply = label("response");
  const before = label("previous_response");
  const histogram = (responses?.histogram ?? []).map((b) => ({
    bucket: bucketLabel(b.min_seconds, b.max_seconds, language),
    [first]: b.first_response,
    [reply]: b.response,
    [before]: b.previous_response,
  }));
  const minutes = label("median_minutes");
  const hours = (responses?.by_hour_of_day ?? []).map((h) => ({
    hour: String(h.hour).padStart(2, "0"),
    [minutes]: h.response.median === null ? null : Math.round(h.response.median / 6) / 10,
  }));
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
        {summary.map((s) => (
          <Figure
            key={s.key}
            label={label(s.key)}
            value={show(s.kind, s.value(data.current), language)}
            before={show(s.kind, s.value(data.previous), language)}
          />
        ))}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t("breakdowns.service.shortNote", { value: formatDuration(data.short_abandon_seconds, language) })}
      </Text>
      <SortableTable
        label={t("breakdowns.tabs.serviceLevel")}
        rows={data.rows}
        rowKey={(row) => row.team_id ?? "none"}
        rowName={(row) => row.name ?? (row.team_id ? t("breakdowns.removed") : t("breakdowns.noTeam"))}
        nameLabel={t("breakdowns.team")}
        columns={columns}
        onDrill={onDrill}
        minWidth={1100}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap="xs">
          <Title order={3} size="h5">
            {label("overTime")}
          </Title>
          {series.length === 0 ? (
            <Text c="dimmed">{t("reports.empty")}</Text>
          ) : (
            <LineChart h={220} data={series} dataKey="when" connectNulls unit="%" series={[{ name: slName, color: "teal.7" }]} />
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={3} size="h5">
            {label("distribution")}
          </Title>
          <BarChart
            h={220}
            data={histogram}
            dataKey="bucket"
            withLegend
            series={[
              { name: first, color: "orange.6" },
              { name: reply, color: "blue.6" },
              { name: before, color: "gray.5" },
            ]}
          />
        </Stack>
      </SimpleGrid>
      <Group>
        <Title order={3} size="h5">
          {label("byHour")}
        </Title>
      </Group>
      <BarChart h={200} data={hours} dataKey="hour" series={[{ name: minutes, color: "blue.6" }]} />
    </Stack>
  );
}
