// A sortable report table: each figure beside its change on the period before, counts open the
// conversations behind them. Scrolls sideways on a phone.
import { Anchor, Badge, Group, Table, Text, UnstyledButton } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { change, formatCount, formatDuration, formatShare } from "./format";
import type { MetricName, ReportFilters } from "./hooks";

export type Kind = "count" | "duration" | "share";

export interface DrillTarget {
  metric: MetricName;
  patch: Partial<ReportFilters>;
}

export type OnDrill = (metric: MetricName, title: string, patch: Partial<ReportFilters>) => void;

export interface Column<Row> {
  key: string;
  label: string;
  kind: Kind;
  value: (row: Row) => number | null | undefined;
  previous?: (row: Row) => number | null | undefined;
  // Whether a rise is good news (a shorter wait is better, more abandonment is worse).
  better?: "up" | "down";
  drill?: (row: Row) => DrillTarget | null;
}

export function show(kind: Kind, value: number | null | undefined, language: string): string {
  if (kind === "duration") return formatDuration(value, language);
  if (kind === "share") return formatShare(value, language);
  return value === null || value === undefined ? "—" : formatCount(value, language);
}

function Delta({ now, before, better }: { now: number | null | undefined; before: number | null | undefined; better?: "up" | "down" }) {
  const { t, i18n } = useTranslation();
  const moved = change(now, before);
  if (moved.trend === "none" || moved.trend === "same") return null;
  const color = !better ? "gray" : moved.trend === better ? "teal" : "red";
  const arrow = moved.trend === "up" ? "↑" : "↓";
  const amount = moved.ratio === null ? "" : ` ${formatShare(Math.abs(moved.ratio), i18n.language)}`;
  return (
    <Badge size="xs" color={color} variant="light" aria-label={t(`reports.trend.${moved.trend}`)}>
      {arrow}
      {amount}
    </Badge>
  );
}

export function SortableTable<Row>({
  label,
  rows,
  rowKey,
  rowName,
  nameLabel,
  columns,
  onDrill,
  minWidth = 900,
}: {
  label: string;
  rows: Row[];
  rowKey: (row: Row) => string;
  rowName: (row: Row) => string;
  nameLabel: string;
  columns: Column<Row>[];
  onDrill: OnDrill;
  minWidth?: number;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [sort, setSort] = useState<{ key: string; descending: boolean }>({ key: "name", descending: false });
  const column = columns.find((c) => c.key === sort.key);
  const sorted = [...rows].sort((a, b) => {
    const order = column
      ? (column.value(a) ?? -1) - (column.value(b) ?? -1)
      : rowName(a).localeCompare(rowName(b), language);
    return sort.descending ? -order : order;
  });
  const header = (key: string, text: string) => {
    const active = sort.key === key;
    return (
      <Table.Th key={key} aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}>
        <UnstyledButton
          fw={600}
          fz="sm"
          onClick={() => setSort({ key, descending: active ? !sort.descending : key !== "name" })}
        >
          {text}
          {active ? (sort.descending ? " ↓" : " ↑") : ""}
        </UnstyledButton>
      </Table.Th>
    );
  };
  if (rows.length === 0) return <Text c="dimmed">{t("reports.empty")}</Text>;
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover stickyHeader aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {header("name", nameLabel)}
            {columns.map((c) => header(c.key, c.label))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((row) => (
            <Table.Tr key={rowKey(row)}>
              <Table.Th scope="row">{rowName(row)}</Table.Th>
              {columns.map((c) => {
                const value = c.value(row);
                const text = show(c.kind, value, language);
                const target = value ? c.drill?.(row) : null;
                return (
                  <Table.Td key={c.key}>
                    <Group gap={4} wrap="nowrap">
                      {target ? (
                        <Anchor
                          component="button"
                          type="button"
                          onClick={() => onDrill(target.metric, `${c.label} — ${rowName(row)}`, target.patch)}
                        >
                          {text}
                        </Anchor>
                      ) : (
                        <Text span size="sm">
                          {text}
                        </Text>
                      )}
                      {c.previous && <Delta now={value} before={c.previous(row)} better={c.better} />}
                    </Group>
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
