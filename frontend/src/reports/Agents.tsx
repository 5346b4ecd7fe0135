// The agents table: one sortable row per agent and the average row; numbers open the list behind.
import { Anchor, Table, Text, UnstyledButton } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatCount, formatDuration } from "./format";
import type { AgentRow, Agents, MetricName } from "./hooks";
import type { OutcomesData } from "./outcomeHooks";
import { GoalCell, GoalHeader, type OutcomeDrill, agentGoals } from "./Outcomes";

type Kind = "count" | "duration";

interface Column {
  key: string;
  kind: Kind;
  value: (row: AgentRow) => number | null;
  metric?: MetricName;
}

const COLUMNS: Column[] = [
  { key: "closed", kind: "count", value: (r) => r.closed, metric: "closed" },
  { key: "assigned", kind: "count", value: (r) => r.assigned, metric: "assigned" },
  { key: "accepted", kind: "count", value: (r) => r.accepted, metric: "accepted" },
  { key: "frt", kind: "duration", value: (r) => r.first_response.median, metric: "first_response" },
  { key: "assignment_response", kind: "duration", value: (r) => r.assignment_response.median, metric: "assignment_response" },
  { key: "response", kind: "duration", value: (r) => r.response.median, metric: "response" },
  { key: "response_p90", kind: "duration", value: (r) => r.response.p90, metric: "response" },
  { key: "resolution", kind: "duration", value: (r) => r.resolution.median, metric: "closed" },
  { key: "online", kind: "duration", value: (r) => r.online_seconds },
  { key: "away", kind: "duration", value: (r) => r.state_seconds.away },
  { key: "busy", kind: "duration", value: (r) => r.state_seconds.busy },
  { key: "queue_now", kind: "count", value: (r) => r.queue_now },
];

function show(kind: Kind, value: number | null, language: string): string {
  if (kind === "duration") return formatDuration(value, language);
  return value === null ? "—" : formatCount(value, language);
}

export function AgentsPanel({
  data,
  onDrill,
  outcomes,
  onDrillOutcome,
}: {
  data: Agents;
  onDrill: (metric: MetricName, title: string, agentId: string) => void;
  /** Each agent's progress towards their outcome targets, shown after their name. */
  outcomes?: OutcomesData;
  onDrillOutcome?: (drill: OutcomeDrill) => void;
}) {
  const goals = agentGoals(outcomes);
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [sort, setSort] = useState<{ key: string; descending: boolean }>({ key: "name", descending: false });
  const column = COLUMNS.find((c) => c.key === sort.key);
  const rows = [...data.rows].sort((a, b) => {
    const order = column
      ? (column.value(a) ?? -1) - (column.value(b) ?? -1)
      : a.name.localeCompare(b.name, language);
    return sort.descending ? -order : order;
  });
  const header = (key: string, label: string) => {
    const active = sort.key === key;
    return (
      <Table.Th key={key} aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}>
        <UnstyledButton
          fw={600}
          fz="sm"
          onClick={() => setSort({ key, descending: active ? !sort.descending : key !== "name" })}
        >
          {label}
          {active ? (sort.descending ? " ↓" : " ↑") : ""}
        </UnstyledButton>
      </Table.Th>
    );
  };
  if (data.rows.length === 0) return <Text c="dimmed">{t("reports.empty")}</Text>;
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table striped highlightOnHover stickyHeader aria-label={t("reports.agents.title")}>
        <Table.Thead>
          <Table.Tr>
            {header("name", t("reports.agents.name"))}
            {goals.map((g) => (
              <GoalHeader key={`${g.outcome}-${g.period}`} goal={g} />
            ))}
            {COLUMNS.map((c) => header(c.key, t(`reports.agents.${c.key}`)))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.agent_id ?? "average"}>
              <Table.Th scope="row">{row.name}</Table.Th>
              {goals.map((g) => (
                <GoalCell key={`${g.outcome}-${g.period}`} data={outcomes} goal={g} agentId={row.agent_id} onDrill={(d) => onDrillOutcome?.(d)} />
              ))}
              {COLUMNS.map((c) => {
                const text = show(c.kind, c.value(row), language);
                const title = `${t(`reports.agents.${c.key}`)} — ${row.name}`;
                return (
                  <Table.Td key={c.key}>
                    {c.metric && row.agent_id && c.value(row) ? (
                      <Anchor component="button" type="button" onClick={() => onDrill(c.metric as MetricName, title, row.agent_id as string)}>
                        {text}
                      </Anchor>
                    ) : (
                      text
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {data.average && (
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row">{t("reports.agents.average")}</Table.Th>
              {goals.map((g) => (
                <Table.Td key={`${g.outcome}-${g.period}`} />
              ))}
              {COLUMNS.map((c) => (
                <Table.Td key={c.key} fw={600}>
                  {show(c.kind, data.average ? c.value(data.average) : null, language)}
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </Table.ScrollContainer>
  );
}
