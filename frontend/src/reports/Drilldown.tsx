// The conversations behind a number, newest first, a page at a time.
import { Anchor, Button, Group, Loader, Modal, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ExportMenu } from "./Exports";
import { formatDuration } from "./format";
import { type FactRow, type MetricName, type ReportFilters, useReportConversations } from "./hooks";

const NO_FILTERS: ReportFilters = { period: "today", tz: "UTC", team_id: [], agent_id: [], channel_id: [] };

export interface Drill {
  metric: MetricName;
  title: string;
  filters: ReportFilters;
  /** One detail of the metric only (a CSAT rating). */
  detail?: string;
}

export function Drilldown({ drill, onClose }: { drill: Drill | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useReportConversations(drill?.filters ?? NO_FILTERS, drill?.metric ?? null, cursor, drill?.detail);
  const rated = drill?.metric === "csat";
  const when = new Intl.DateTimeFormat(i18n.language, {
    timeZone: drill?.filters.tz,
    dateStyle: "short",
    timeStyle: "short",
  });
  const close = () => {
    setCursors([null]);
    onClose();
  };
  const items: FactRow[] = page.data?.items ?? [];
  return (
    <Modal opened={drill !== null} onClose={close} title={drill?.title} size="xl">
      <Stack gap="sm">
        {page.isPending ? (
          <Loader aria-label={t("reports.loading")} />
        ) : items.length === 0 ? (
          <Text c="dimmed">{t("reports.drill.none")}</Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table aria-label={drill?.title}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("reports.drill.contact")}</Table.Th>
                  <Table.Th>{t("reports.drill.channel")}</Table.Th>
                  <Table.Th>{t("reports.drill.at")}</Table.Th>
                  {rated ? (
                    <Table.Th>{t("csat.report.ratingColumn")}</Table.Th>
                  ) : (
                    <>
                      <Table.Th>{t("reports.drill.duration")}</Table.Th>
                      <Table.Th>{t("reports.drill.business")}</Table.Th>
                    </>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={`${item.conversation_id}-${item.at}-${item.metric}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/conversations/${item.conversation_id}`} onClick={close}>
                        {item.contact_name || t("reports.drill.noName")}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{item.channel_type}</Table.Td>
                    <Table.Td>{when.format(new Date(item.at))}</Table.Td>
                    {rated ? (
                      <Table.Td>{item.detail}</Table.Td>
                    ) : (
                      <>
                        <Table.Td>{formatDuration(item.seconds, i18n.language)}</Table.Td>
                        <Table.Td>{formatDuration(item.business_seconds, i18n.language)}</Table.Td>
                      </>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {drill && drill.metric !== "csat" && <ExportMenu kind="facts" metric={drill.metric} filters={drill.filters} />}
        <Group justify="space-between">
          <Button variant="default" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t("reports.drill.previous")}
          </Button>
          <Button
            variant="default"
            disabled={!page.data?.next_cursor}
            onClick={() => setCursors([...cursors, page.data?.next_cursor ?? null])}
          >
            {t("reports.drill.next")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
