// The overview: number tiles beside the period before, and trend charts.
import { BarChart, LineChart } from "@mantine/charts";
import { Badge, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type Trend, change, formatCount, formatDuration, formatShare } from "./format";
import type { Grouping, MetricName, Overview as OverviewData } from "./hooks";

type Figures = OverviewData["current"];
type Kind = "count" | "duration" | "share";

interface Tile {
  key: string;
  kind: Kind;
  value: (f: Figures) => number | null;
  metric?: MetricName;
  // Whether a rise is good news (a shorter wait is better, more abandonment is worse).
  better: "up" | "down";
}

const TILES: Tile[] = [
  { key: "opened", kind: "count", value: (f) => f.opened, metric: "opened", better: "up" },
  { key: "closed", kind: "count", value: (f) => f.closed, metric: "closed", better: "up" },
  { key: "frt", kind: "duration", value: (f) => f.first_response.wall.avg, metric: "first_response", better: "down" },
  { key: "frt_median", kind: "duration", value: (f) => f.first_response.wall.median, metric: "first_response", better: "down" },
  { key: "frt_p90", kind: "duration", value: (f) => f.first_response.wall.p90, metric: "first_response", better: "down" },
  { key: "frt_business", kind: "duration", value: (f) => f.first_response.business.avg, metric: "first_response", better: "down" },
  { key: "response", kind: "duration", value: (f) => f.response.wall.median, metric: "response", better: "down" },
  { key: "resolution", kind: "duration", value: (f) => f.resolution.wall.median, metric: "closed", better: "down" },
  { key: "service_level", kind: "share", value: (f) => f.service_level, metric: "first_response_met", better: "up" },
  { key: "sla_met", kind: "share", value: (f) => f.sla_met_rate ?? null, better: "up" },
  { key: "asa", kind: "duration", value: (f) => f.average_speed_of_answer, metric: "first_response", better: "down" },
  { key: "abandonment", kind: "share", value: (f) => f.abandonment_rate, metric: "abandoned", better: "down" },
  { key: "short_abandoned", kind: "count", value: (f) => f.short_abandoned, metric: "abandoned_short", better: "down" },
  { key: "handle", kind: "duration", value: (f) => f.handle.wall.median, metric: "handle", better: "down" },
  { key: "transferred", kind: "count", value: (f) => f.transferred, metric: "transferred", better: "down" },
];

function show(kind: Kind, value: number | null, language: string): string {
  if (kind === "duration") return formatDuration(value, language);
  if (kind === "share") return formatShare(value, language);
  return value === null ? "—" : formatCount(value, language);
}

function TrendBadge({ trend, ratio, better }: { trend: Trend; ratio: number | null; better: "up" | "down" }) {
  const { t, i18n } = useTranslation();
  if (trend === "none") return null;
  const good = trend === "same" ? "gray" : trend === better ? "teal" : "red";
  const arrow = trend === "up" ? "↑" : trend === "down" ? "↓" : "=";
  const amount = ratio === null ? "" : ` ${formatShare(Math.abs(ratio), i18n.language)}`;
  return (
    <Badge color={good} variant="light" aria-label={t(`reports.trend.${trend}`)}>
      {arrow}
      {amount}
    </Badge>
  );
}

export function OverviewPanel({
  data,
  groupBy,
  onGroupBy,
  onDrill,
}: {
  data: OverviewData;
  groupBy: Grouping;
  onGroupBy: (g: Grouping) => void;
  onDrill: (metric: MetricName, title: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const zone = data.period.timezone;
  const label = new Intl.DateTimeFormat(language, {
    timeZone: zone,
    ...(groupBy === "hour" ? { hour: "2-digit", minute: "2-digit" } : { day: "numeric", month: "short" }),
  });
  const points = data.series.map((p) => ({
    when: label.format(new Date(p.start)),
    [t("reports.tiles.opened")]: p.opened,
    [t("reports.tiles.closed")]: p.closed,
    [t("reports.series.abandoned")]: p.abandoned,
    [t("reports.tiles.service_level")]: p.service_level === null ? null : Math.round(p.service_level * 1000) / 10,
    [t("reports.series.frt_minutes")]: p.first_response_avg === null ? null : Math.round(p.first_response_avg / 6) / 10,
  }));
  return (
    <Stack gap="md">
      <Group gap="lg" wrap="wrap">
        <Paper withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed">
            {t("reports.now.waiting")}
          </Text>
          <Text fw={700} size="xl">
            {formatCount(data.waiting_now, language)}
          </Text>
        </Paper>
        <Paper withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed">
            {t("reports.now.open")}
          </Text>
          <Text fw={700} size="xl">
            {formatCount(data.open_now, language)}
          </Text>
        </Paper>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="sm">
        {TILES.map((tile) => {
          const now = tile.value(data.current);
          const before = tile.value(data.previous);
          const moved = change(now, before);
          const title = t(`reports.tiles.${tile.key}`);
          return (
            <UnstyledButton
              key={tile.key}
              onClick={() => tile.metric && onDrill(tile.metric, title)}
              aria-label={`${title}: ${show(tile.kind, now, language)}`}
            >
              <Paper withBorder p="sm" radius="md" h="100%">
                <Text size="xs" c="dimmed">
                  {title}
                </Text>
                <Group gap="xs" align="baseline" wrap="nowrap">
                  <Text fw={700} size="xl">
                    {show(tile.kind, now, language)}
                  </Text>
                  <TrendBadge trend={moved.trend} ratio={moved.ratio} better={tile.better} />
                </Group>
                <Text size="xs" c="dimmed">
                  {t("reports.previous", { value: show(tile.kind, before, language) })}
                </Text>
              </Paper>
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
      <Group justify="space-between" wrap="wrap">
        <Title order={3} size="h5">
          {t("reports.series.title")}
        </Title>
        <SegmentedControl
          aria-label={t("reports.series.groupBy")}
          size="xs"
          value={groupBy}
          onChange={(g) => onGroupBy(g as Grouping)}
          data={(["hour", "day", "week", "month"] as const).map((g) => ({ value: g, label: t(`reports.groups.${g}`) }))}
        />
      </Group>
      {points.length === 0 ? (
        <Text c="dimmed">{t("reports.empty")}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <BarChart
            h={240}
            data={points}
            dataKey="when"
            withLegend
            series={[
              { name: t("reports.tiles.opened"), color: "teal.6" },
              { name: t("reports.tiles.closed"), color: "blue.6" },
              { name: t("reports.series.abandoned"), color: "red.6" },
            ]}
          />
          <LineChart
            h={240}
            data={points}
            dataKey="when"
            withLegend
            connectNulls
            series={[
              { name: t("reports.series.frt_minutes"), color: "orange.6" },
              { name: t("reports.tiles.service_level"), color: "teal.7" },
            ]}
          />
        </SimpleGrid>
      )}
    </Stack>
  );
}
