// The CSAT tab: the share of 4–5 answers and how many answered, beside the period before; the
// answers by rating, per agent (the assignee at the close) and by day. Every number opens the
// conversations behind it.
import { BarChart } from "@mantine/charts";
import { Group, Paper, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Schemas, api, unwrap } from "../api/client";
import { formatCount, formatShare } from "./format";
import { type ReportFilters, reportQuery } from "./hooks";

export type CsatReport = Schemas["CsatRead"];
const RATINGS = ["5", "4", "3", "2", "1"] as const;

export function useCsatReport(filters: ReportFilters, enabled: boolean) {
  const query = reportQuery(filters);
  return useQuery({
    queryKey: ["reports", "csat", query],
    queryFn: () => unwrap(api.GET("/api/v1/reports/csat", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** What a click on a CSAT number opens: every answer, or the answers of one rating. */
export interface CsatDrill {
  title: string;
  detail?: string;
  agentId?: string | null;
}

function Figure({ label, value, before, onClick }: { label: string; value: string; before: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <UnstyledButton onClick={onClick} aria-label={`${label}: ${value}`}>
      <Paper withBorder p="sm" radius="md" h="100%">
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Text fw={700} size="xl">
          {value}
        </Text>
        <Text size="xs" c="dimmed">
          {t("csat.report.before", { value: before })}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}

export function CsatPanel({ data, onDrill }: { data: CsatReport; onDrill: (drill: CsatDrill) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { current, previous } = data;
  const day = new Intl.DateTimeFormat(language, { timeZone: data.period.timezone, day: "numeric", month: "short" });
  const distribution = RATINGS.map((rating) => ({
    rating: t("csat.report.rating", { rating }),
    [t("csat.report.answers")]: current.distribution[rating] ?? 0,
  }));
  const all = () => onDrill({ title: t("csat.report.drillAll") });
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
        <Figure
          label={t("csat.report.share")}
          value={formatShare(current.share_satisfied, language)}
          before={formatShare(previous.share_satisfied, language)}
          onClick={all}
        />
        <Figure
          label={t("csat.report.answers")}
          value={formatCount(current.answers, language)}
          before={formatCount(previous.answers, language)}
          onClick={all}
        />
        <Figure
          label={t("csat.report.satisfied")}
          value={formatCount(current.satisfied, language)}
          before={formatCount(previous.satisfied, language)}
          onClick={all}
        />
      </SimpleGrid>
      {current.answers === 0 ? (
        <Text c="dimmed">{t("csat.report.none")}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Stack gap="xs">
            <Title order={3} size="h5">
              {t("csat.report.distribution")}
            </Title>
            <Table aria-label={t("csat.report.distribution")}>
              <Table.Tbody>
                {RATINGS.map((rating) => (
                  <Table.Tr key={rating}>
                    <Table.Td>{t("csat.report.rating", { rating })}</Table.Td>
                    <Table.Td ta="right">
                      <UnstyledButton
                        onClick={() => onDrill({ title: t("csat.report.drillRating", { rating }), detail: rating })}
                        td="underline"
                      >
                        {formatCount(current.distribution[rating] ?? 0, language)}
                      </UnstyledButton>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <BarChart
              h={200}
              data={distribution}
              dataKey="rating"
              series={[{ name: t("csat.report.answers"), color: "yellow.6" }]}
            />
          </Stack>
          <Stack gap="xs">
            <Title order={3} size="h5">
              {t("csat.report.perAgent")}
            </Title>
            <Table.ScrollContainer minWidth={320}>
              <Table aria-label={t("csat.report.perAgent")}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("csat.report.agent")}</Table.Th>
                    <Table.Th ta="right">{t("csat.report.share")}</Table.Th>
                    <Table.Th ta="right">{t("csat.report.answers")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.agents.map((row) => (
                    <Table.Tr key={row.agent_id ?? "nobody"}>
                      <Table.Td>{row.name ?? t("csat.report.nobody")}</Table.Td>
                      <Table.Td ta="right">{formatShare(row.figures.share_satisfied, language)}</Table.Td>
                      <Table.Td ta="right">
                        {row.agent_id ? (
                          <UnstyledButton
                            td="underline"
                            onClick={() =>
                              onDrill({ title: `${t("csat.report.drillAll")} · ${row.name ?? ""}`, agentId: row.agent_id })
                            }
                          >
                            {formatCount(row.figures.answers, language)}
                          </UnstyledButton>
                        ) : (
                          formatCount(row.figures.answers, language)
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Title order={3} size="h5">
              {t("csat.report.byDay")}
            </Title>
            <Table aria-label={t("csat.report.byDay")}>
              <Table.Tbody>
                {data.series.map((point) => (
                  <Table.Tr key={point.start}>
                    <Table.Td>{day.format(new Date(point.start))}</Table.Td>
                    <Table.Td ta="right">{formatShare(point.share_satisfied, language)}</Table.Td>
                    <Table.Td ta="right">
                      <Group justify="flex-end" gap={4}>
                        {formatCount(point.answers, language)}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </SimpleGrid>
      )}
    </Stack>
  );
}
