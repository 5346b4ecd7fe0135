// Activity: conversations by weekday and hour in the report's time zone, and each agent's
// online, busy, away and offline bands over one day.
import { Box, Group, Paper, ScrollArea, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ReportFilters } from "./hooks";
import { bands, heat, weekdayNames } from "./outcomeFormat";
import { type HeatmapMetric, useAgentStates, useHeatmap } from "./outcomeHooks";

const STATE_COLORS: Record<string, string> = {
  online: "var(--mantine-color-teal-6)",
  busy: "var(--mantine-color-orange-6)",
  away: "var(--mantine-color-yellow-5)",
  offline: "var(--mantine-color-gray-4)",
};
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function ActivityPanel({ filters, enabled }: { filters: ReportFilters; enabled: boolean }) {
  return (
    <Stack gap="lg">
      <HeatmapSection filters={filters} enabled={enabled} />
      <TimelineSection filters={filters} enabled={enabled} />
    </Stack>
  );
}

function HeatmapSection({ filters, enabled }: { filters: ReportFilters; enabled: boolean }) {
  const { t, i18n } = useTranslation();
  const [metric, setMetric] = useState<HeatmapMetric>("opened");
  const heatmap = useHeatmap(filters, metric, enabled);
  const short = weekdayNames(i18n.language);
  const long = weekdayNames(i18n.language, "long");
  const cells = heatmap.data?.cells ?? [];
  const max = Math.max(0, ...cells.map((c) => c.count));
  const count = (weekday: number, hour: number) => cells[weekday * 24 + hour]?.count ?? 0;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3}>{t("outcomes.heatmap.title")}</Title>
        <SegmentedControl
          aria-label={t("outcomes.heatmap.metric")}
          value={metric}
          onChange={(m) => setMetric(m as HeatmapMetric)}
          data={(["opened", "closed"] as const).map((m) => ({ value: m, label: t(`outcomes.heatmap.${m}`) }))}
        />
      </Group>
      <Text size="xs" c="dimmed">
        {t("outcomes.heatmap.zone", { zone: heatmap.data?.timezone ?? filters.tz })}
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={2} aria-label={t("outcomes.heatmap.title")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              {HOURS.map((h) => (
                <Table.Th key={h} fz="xs" ta="center">
                  {h}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {short.map((name, weekday) => (
              <Table.Tr key={name}>
                <Table.Th scope="row" fz="xs">
                  {name}
                </Table.Th>
                {HOURS.map((hour) => {
                  const n = count(weekday, hour);
                  const label = t("outcomes.heatmap.cell", { day: long[weekday], hour, count: n });
                  return (
                    <Table.Td
                      key={hour}
                      title={label}
                      aria-label={label}
                      ta="center"
                      fz="xs"
                      style={{
                        background: n ? `rgba(18, 184, 134, ${heat(n, max)})` : "var(--mantine-color-gray-1)",
                        color: heat(n, max) > 0.6 ? "white" : undefined,
                        minWidth: 26,
                        borderRadius: 3,
                      }}
                    >
                      {n || ""}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function TimelineSection({ filters, enabled }: { filters: ReportFilters; enabled: boolean }) {
  const { t, i18n } = useTranslation();
  const [day, setDay] = useState<string>("");
  const states = useAgentStates(filters, day || null, enabled);
  const time = new Intl.DateTimeFormat(i18n.language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: filters.tz });
  const data = states.data;
  // Bands are laid along the whole day (today's stop at now), under hour marks.
  const dayEnd = data ? new Date(Date.parse(data.start) + 86_400_000).toISOString() : "";
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <Title order={3}>{t("outcomes.timeline.title")}</Title>
        <TextInput
          type="date"
          label={t("outcomes.timeline.day")}
          value={day || data?.day || ""}
          onChange={(e) => setDay(e.currentTarget.value)}
          w={170}
        />
      </Group>
      <Group gap="md">
        {Object.entries(STATE_COLORS).map(([state, color]) => (
          <Group key={state} gap={4}>
            <Box w={12} h={12} style={{ background: color, borderRadius: 2 }} />
            <Text size="xs">{t(`outcomes.timeline.states.${state}`)}</Text>
          </Group>
        ))}
      </Group>
      {data && data.agents.length === 0 && <Text c="dimmed">{t("outcomes.timeline.none")}</Text>}
      {data && data.agents.length > 0 && (
        <ScrollArea type="auto">
          <Stack gap={6} miw={640} role="list" aria-label={t("outcomes.timeline.title")}>
            {data.agents.map((agent) => (
              <Group key={agent.agent_id} gap="xs" wrap="nowrap" role="listitem">
                <Text size="sm" w={140} truncate="end" title={agent.name}>
                  {agent.name}
                </Text>
                <Paper withBorder pos="relative" h={22} style={{ flex: 1, overflow: "hidden" }}>
                  {bands(agent.intervals, data.start, dayEnd).map((band) => {
                    const label = t("outcomes.timeline.band", {
                      state: t(`outcomes.timeline.states.${band.state}`),
                      from: time.format(new Date(band.start)),
                      to: time.format(new Date(band.end)),
                    });
                    return (
                      <Box
                        key={band.start}
                        title={label}
                        aria-label={`${agent.name}: ${label}`}
                        role="img"
                        pos="absolute"
                        top={0}
                        bottom={0}
                        style={{
                          left: `${band.left}%`,
                          width: `${band.width}%`,
                          background: STATE_COLORS[band.state] ?? STATE_COLORS.offline,
                        }}
                      />
                    );
                  })}
                </Paper>
              </Group>
            ))}
            <Group gap="xs" wrap="nowrap" aria-hidden>
              <Box w={140} />
              <Box pos="relative" h={16} style={{ flex: 1 }}>
                {[0, 3, 6, 9, 12, 15, 18, 21].map((h) => (
                  <Text key={h} pos="absolute" size="xs" c="dimmed" style={{ left: `${(h / 24) * 100}%` }}>
                    {h}
                  </Text>
                ))}
              </Box>
            </Group>
          </Stack>
        </ScrollArea>
      )}
    </Stack>
  );
}
