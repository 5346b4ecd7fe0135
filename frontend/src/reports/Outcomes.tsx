// Outcomes: each agent and team against their targets (today, this week or this month), the
// closes per outcome and day, and, for owners and managers, the targets themselves.
import { BarChart } from "@mantine/charts";
import { Anchor, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Drill } from "./Drilldown";
import { formatCount } from "./format";
import type { ReportFilters } from "./hooks";
import { type TargetPeriod, progress, windowStart } from "./outcomeFormat";
import type { OutcomesData, Progress as Row } from "./outcomeHooks";
import { TargetsEditor } from "./Targets";

/** The conversations behind an outcome number: one agent's or team's closes between two days. */
export interface OutcomeDrill {
  outcome: string;
  title: string;
  agentId?: string;
  teamId?: string;
  from: string;
  to: string;
}

/** The drill-down of an outcome number: the closes with that outcome, in its days. */
export function outcomeDrill(filters: ReportFilters, drill: OutcomeDrill): Drill {
  return {
    metric: "closed",
    title: drill.title,
    detail: drill.outcome,
    filters: {
      ...filters,
      period: "custom",
      start_date: drill.from,
      end_date: drill.to,
      agent_id: drill.agentId ? [drill.agentId] : filters.agent_id,
      team_id: drill.teamId ? [drill.teamId] : filters.team_id,
    },
  };
}

export interface Goal {
  outcome: string;
  period: TargetPeriod;
}

/** The agents table's outcome columns: each outcome and period some agent has a target for. */
export function agentGoals(data: OutcomesData | undefined): Goal[] {
  const seen = new Map<string, Goal>();
  for (const row of data?.progress ?? []) {
    if (row.subject === "agent") seen.set(`${row.outcome}\u0000${row.target_period}`, { outcome: row.outcome, period: row.target_period });
  }
  return [...seen.values()];
}

export function GoalHeader({ goal }: { goal: Goal }) {
  const { t } = useTranslation();
  return <Table.Th>{t("outcomes.column", { outcome: goal.outcome, window: t(`outcomes.window.${goal.period}`) })}</Table.Th>;
}

/** An agent's progress towards one goal in the agents table ("5 / 8" and a bar), or a dash. */
export function GoalCell({
  data,
  goal,
  agentId,
  onDrill,
}: {
  data: OutcomesData | undefined;
  goal: Goal;
  agentId: string | null;
  onDrill: (drill: OutcomeDrill) => void;
}) {
  const row = data?.progress.find(
    (p) => p.subject === "agent" && p.agent_id === agentId && p.outcome === goal.outcome && p.target_period === goal.period,
  );
  return <Table.Td>{row && data ? <ProgressCell row={row} today={data.today} onDrill={onDrill} /> : "—"}</Table.Td>;
}

export function rowName(t: (key: string, options?: Record<string, unknown>) => string, row: Row): string {
  return row.subject === "team" ? t("outcomes.team", { name: row.name }) : row.name;
}

/** "5 / 8" with a bar, the number opening the conversations behind it. */
export function ProgressCell({
  row,
  today,
  onDrill,
}: {
  row: Row;
  today: string;
  onDrill: (drill: OutcomeDrill) => void;
}) {
  const { t, i18n } = useTranslation();
  const name = rowName(t, row);
  const { percent, met } = progress(row.current, row.target);
  const count = formatCount(row.current, i18n.language);
  const target = formatCount(row.target, i18n.language);
  const text = t("outcomes.of", { count, target });
  return (
    <Stack gap={4} miw={110}>
      <Anchor
        component="button"
        type="button"
        fw={600}
        aria-label={t("outcomes.progressLabel", { name, count, target, outcome: row.outcome })}
        onClick={() =>
          onDrill({
            outcome: row.outcome,
            title: t("outcomes.drillTitle", { outcome: row.outcome, name }),
            agentId: row.agent_id ?? undefined,
            teamId: row.team_id ?? undefined,
            from: windowStart(today, row.target_period),
            to: today,
          })
        }
      >
        {text}
      </Anchor>
      <Progress value={percent} color={met ? "teal" : "blue"} size="sm" aria-hidden />
    </Stack>
  );
}

export function OutcomesPanel({
  data,
  canManage,
  onDrill,
}: {
  data: OutcomesData;
  canManage: boolean;
  onDrill: (drill: OutcomeDrill) => void;
}) {
  const { t, i18n } = useTranslation();
  const day = new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short", timeZone: "UTC" });
  const label = (iso: string) => day.format(new Date(`${iso}T00:00:00Z`));
  const outcomes = [...new Set(data.progress.map((p) => p.outcome))];
  return (
    <Stack gap="lg">
      <Title order={3}>{t("outcomes.today")}</Title>
      {outcomes.length === 0 && <Text c="dimmed">{canManage ? t("outcomes.none") : t("outcomes.noneAgent")}</Text>}
      {outcomes.map((outcome) => (
        <Stack key={outcome} gap="xs">
          <Text fw={600}>{outcome}</Text>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            {data.progress
              .filter((p) => p.outcome === outcome)
              .map((row) => (
                <Paper key={`${row.subject}-${row.agent_id ?? row.team_id}-${row.target_period}`} withBorder p="sm">
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Stack gap={0}>
                      <Text size="sm" fw={500}>
                        {rowName(t, row)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`outcomes.window.${row.target_period}`)}
                      </Text>
                    </Stack>
                    <ProgressCell row={row} today={data.today} onDrill={onDrill} />
                  </Group>
                </Paper>
              ))}
          </SimpleGrid>
        </Stack>
      ))}
      <Title order={3}>{t("outcomes.history")}</Title>
      {data.outcomes.length === 0 && <Text c="dimmed">{t("outcomes.noCloses")}</Text>}
      {data.outcomes.map((o) => (
        <Stack key={o.outcome} gap="xs">
          <Text fw={600}>{t("outcomes.total", { outcome: o.outcome })}</Text>
          <BarChart
            h={200}
            data={o.days.map((d) => ({ day: label(d.day), count: d.count }))}
            dataKey="day"
            series={[{ name: "count", label: o.outcome, color: "teal.6" }]}
          />
          <History outcome={o.outcome} rows={data.progress} label={label} onDrill={onDrill} />
        </Stack>
      ))}
      {canManage && <TargetsEditor />}
    </Stack>
  );
}

/** Each agent's and team's closes of the outcome per day; a day's target is met in green. */
function History({
  outcome,
  rows,
  label,
  onDrill,
}: {
  outcome: string;
  rows: Row[];
  label: (iso: string) => string;
  onDrill: (drill: OutcomeDrill) => void;
}) {
  const { t, i18n } = useTranslation();
  const mine = rows.filter((r) => r.outcome === outcome);
  if (mine.length === 0) return null;
  const days = (mine[0]?.days ?? []).map((d) => d.day);
  return (
    <Table.ScrollContainer minWidth={Math.max(360, 120 + days.length * 56)}>
      <Table striped aria-label={t("outcomes.perDay", { outcome })}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("outcomes.name")}</Table.Th>
            {days.map((d) => (
              <Table.Th key={d}>{label(d)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {mine.map((row) => {
            const name = rowName(t, row);
            return (
              <Table.Tr key={`${row.subject}-${row.agent_id ?? row.team_id}-${row.target_period}`}>
                <Table.Th scope="row">{name}</Table.Th>
                {row.days.map((d) => (
                  <Table.Td key={d.day} c={d.target !== null && d.count >= d.target ? "teal.8" : undefined}>
                    {d.count ? (
                      <Anchor
                        component="button"
                        type="button"
                        onClick={() =>
                          onDrill({
                            outcome,
                            title: `${t("outcomes.drillTitle", { outcome, name })} — ${label(d.day)}`,
                            agentId: row.agent_id ?? undefined,
                            teamId: row.team_id ?? undefined,
                            from: d.day,
                            to: d.day,
                          })
                        }
                      >
                        {d.target !== null
                          ? t("outcomes.of", { count: formatCount(d.count, i18n.language), target: d.target })
                          : formatCount(d.count, i18n.language)}
                      </Anchor>
                    ) : d.target !== null ? (
                      t("outcomes.of", { count: 0, target: d.target })
                    ) : (
                      "0"
                    )}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
