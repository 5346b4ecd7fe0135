// Staffing: per hour, the agents Erlang C asks for to reach the target, beside those online.
import { BarChart } from "@mantine/charts";
import { Group, NumberInput, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatCount, formatDuration, formatShare } from "./format";
import type { Staffing } from "./hooks";

export interface Target {
  level: number;
  seconds: number;
  concurrency: number;
}

export function StaffingPanel({
  data,
  target,
  onTarget,
}: {
  data: Staffing;
  target: Target;
  onTarget: (next: Target) => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const hour = new Intl.DateTimeFormat(language, {
    timeZone: data.period.timezone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
  const busy = data.hours.filter((h) => h.arrivals > 0 || h.agents_online > 0);
  const needed = t("reports.staffing.needed");
  const online = t("reports.staffing.online");
  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <NumberInput
          label={t("reports.staffing.level")}
          value={Math.round(target.level * 100)}
          min={1}
          max={99}
          suffix=" %"
          onChange={(v) => typeof v === "number" && onTarget({ ...target, level: v / 100 })}
          w={150}
        />
        <NumberInput
          label={t("reports.staffing.seconds")}
          value={target.seconds}
          min={1}
          max={86_400}
          onChange={(v) => typeof v === "number" && onTarget({ ...target, seconds: v })}
          w={150}
        />
        <NumberInput
          label={t("reports.staffing.concurrency")}
          value={target.concurrency}
          min={1}
          max={50}
          onChange={(v) => typeof v === "number" && onTarget({ ...target, concurrency: v })}
          w={190}
        />
      </Group>
      {busy.length === 0 ? (
        <Text c="dimmed">{t("reports.empty")}</Text>
      ) : (
        <>
          <BarChart
            h={220}
            data={busy.map((h) => ({
              when: hour.format(new Date(h.start)),
              [needed]: h.agents_needed,
              [online]: Math.round(h.agents_online * 10) / 10,
            }))}
            dataKey="when"
            withLegend
            series={[
              { name: needed, color: "orange.6" },
              { name: online, color: "teal.6" },
            ]}
          />
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label={t("reports.staffing.title")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("reports.staffing.hour")}</Table.Th>
                  <Table.Th>{t("reports.staffing.arrivals")}</Table.Th>
                  <Table.Th>{t("reports.staffing.handle")}</Table.Th>
                  <Table.Th>{t("reports.staffing.load")}</Table.Th>
                  <Table.Th>{needed}</Table.Th>
                  <Table.Th>{t("reports.staffing.predicted")}</Table.Th>
                  <Table.Th>{t("reports.staffing.occupancy")}</Table.Th>
                  <Table.Th>{online}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {busy.map((h) => (
                  <Table.Tr key={h.start}>
                    <Table.Th scope="row">{hour.format(new Date(h.start))}</Table.Th>
                    <Table.Td>{formatCount(h.arrivals, language)}</Table.Td>
                    <Table.Td>{formatDuration(h.handle_seconds, language)}</Table.Td>
                    <Table.Td>{formatCount(h.load, language)}</Table.Td>
                    <Table.Td>{formatCount(h.agents_needed, language)}</Table.Td>
                    <Table.Td>{formatShare(h.service_level, language)}</Table.Td>
                    <Table.Td>{formatShare(h.occupancy, language)}</Table.Td>
                    <Table.Td>{formatCount(h.agents_online, language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed">
            {t("reports.staffing.note")}
          </Text>
        </>
      )}
    </Stack>
  );
}
