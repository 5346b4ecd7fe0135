// Routing: assignments offered and accepted per team and agent, transfers between teams,
// reassignments, the wait for a first assignment and how evenly work was spread.
import { Anchor, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { formatCount, formatDuration, formatShare } from "./format";
import type { ReportFilters } from "./hooks";
import { type Column, type OnDrill, SortableTable } from "./SortableTable";
import { ChatRoutesSection } from "./ChatRoutes";

type Offer = Schemas["OfferRow"];

function Tile({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Paper>
  );
}

function offerColumns(label: (key: string) => string, narrow: (row: Offer) => Partial<ReportFilters> | null): Column<Offer>[] {
  const drill = (metric: "assigned" | "accepted") => (row: Offer) => {
    const patch = narrow(row);
    return patch ? { metric, patch } : null;
  };
  return [
    { key: "offered", label: label("offered"), kind: "count", value: (r) => r.offered, previous: (r) => r.previous_offered, drill: drill("assigned") },
    { key: "accepted", label: label("accepted"), kind: "count", value: (r) => r.accepted, previous: (r) => r.previous_accepted, better: "up", drill: drill("accepted") },
    { key: "acceptance", label: label("acceptance"), kind: "share", value: (r) => r.acceptance_rate },
  ];
}

export function RoutingPanel({ data, onDrill }: { data: Schemas["RoutingRead"]; onDrill: OnDrill }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const label = (key: string) => t(`breakdowns.routing.${key}`);
  const name = (row: Offer, none: string) => row.name ?? (row.id ? t("breakdowns.removed") : none);
  const teamName = (id: string | null | undefined, text: string | null | undefined) =>
    text ?? (id ? t("breakdowns.removed") : t("breakdowns.noTeam"));
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        <Tile
          label={label("offered")}
          value={formatCount(data.offered, language)}
          note={t("reports.previous", { value: formatCount(data.previous_offered, language) })}
        />
        <Tile
          label={label("accepted")}
          value={formatCount(data.accepted, language)}
          note={t("reports.previous", { value: formatCount(data.previous_accepted, language) })}
        />
        <Tile label={label("reassignments")} value={formatCount(data.reassignments, language)} />
        <Tile
          label={label("assignmentWait")}
          value={formatDuration(data.assignment_wait.median, language)}
          note={label("p90") + ": " + formatDuration(data.assignment_wait.p90, language)}
        />
        <Tile
          label={label("spread")}
          value={data.fairness.max_minus_min === null ? "—" : formatCount(data.fairness.max_minus_min, language)}
          note={t("breakdowns.routing.agentsCounted", { count: data.fairness.agents })}
        />
        <Tile
          label={label("variation")}
          value={formatShare(data.fairness.coefficient_of_variation, language)}
        />
      </SimpleGrid>
      <Title order={3} size="h5">
        {label("byTeam")}
      </Title>
      <SortableTable
        label={label("byTeam")}
        rows={data.teams}
        rowKey={(row) => row.id ?? "none"}
        rowName={(row) => name(row, t("breakdowns.noTeam"))}
        nameLabel={t("breakdowns.team")}
        columns={offerColumns(label, (row) => (row.id ? { team_id: [row.id] } : null))}
        onDrill={onDrill}
        minWidth={520}
      />
      <Title order={3} size="h5">
        {label("byAgent")}
      </Title>
      <SortableTable
        label={label("byAgent")}
        rows={data.agents}
        rowKey={(row) => row.id ?? "none"}
        rowName={(row) => name(row, label("nobody"))}
        nameLabel={t("reports.agents.name")}
        columns={offerColumns(label, (row) => (row.id ? { agent_id: [row.id] } : null))}
        onDrill={onDrill}
        minWidth={520}
      />
      <Title order={3} size="h5">
        {label("transfers")}
      </Title>
      {data.transfers.length === 0 ? (
        <Text c="dimmed">{label("noTransfers")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label={label("transfers")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{label("from")}</Table.Th>
                <Table.Th>{label("to")}</Table.Th>
                <Table.Th>{label("count")}</Table.Th>
                <Table.Th>{label("timeToTransfer")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.transfers.map((row) => (
                <Table.Tr key={`${row.from_team_id}-${row.to_team_id}`}>
                  <Table.Td>{teamName(row.from_team_id, row.from_name)}</Table.Td>
                  <Table.Td>{teamName(row.to_team_id, row.to_name)}</Table.Td>
                  <Table.Td>
                    {row.from_team_id ? (
                      <Anchor
                        component="button"
                        type="button"
                        onClick={() =>
                          onDrill("transferred", `${label("transfers")} — ${teamName(row.from_team_id, row.from_name)}`, {
                            team_id: [row.from_team_id as string],
                          })
                        }
                      >
                        {formatCount(row.count, language)}
                      </Anchor>
                    ) : (
                      formatCount(row.count, language)
                    )}
                  </Table.Td>
                  <Table.Td>{formatDuration(row.time_to_transfer.median, language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ChatRoutesSection data={data} onDrill={onDrill} />
    </Stack>
  );
}
