// Report exports: an Export menu (CSV or Excel) on each report table, the progress of the job
// writing the file (live from the socket), its download link, and the member's recent exports.
import { Alert, Anchor, Button, Group, Paper, Progress, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { EXPORTS_KEY } from "../live/keys";
import { exportBody, progressPercent } from "./exportBody";
import type { Grouping, MetricName, ReportFilters } from "./hooks";
import { Menu } from "../components/Menu";

export type ReportExport = Schemas["ExportRead"];
type Kind = ReportExport["kind"];
type Format = ReportExport["format"];

function upsert(list: ReportExport[] | undefined, item: ReportExport): ReportExport[] {
  const rest = (list ?? []).filter((e) => e.id !== item.id);
  return [item, ...rest].sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/** The member's recent exports, kept current by `report_export.*` frames (live/apply.ts). */
export function useExports() {
  return useQuery({
    queryKey: EXPORTS_KEY,
    queryFn: async () => (await unwrap(api.GET("/api/v1/reports/exports"))).items,
  });
}

function useRequestExport() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ExportCreate"]) => unwrap(api.POST("/api/v1/reports/exports", { body })),
    onSuccess: (created) => {
      queries.setQueryData<ReportExport[]>(EXPORTS_KEY, (list) => {
        // A frame may already have brought a newer state of it.
        const known = list?.find((e) => e.id === created.id);
        return known ? list ?? [] : upsert(list, created);
      });
    },
  });
}

/** Progress of one export: a bar while it runs, then the link to its file. */
export function ExportStatus({ item }: { item: ReportExport }) {
  const { t } = useTranslation();
  const name = item.file_name ?? t(`exports.kinds.${item.kind}`);
  if (item.status === "done" && item.download_url) {
    return (
      <Anchor href={item.download_url} download={item.file_name ?? undefined} size="sm">
        {t("exports.download", { name })}
      </Anchor>
    );
  }
  if (item.status === "failed") {
    return (
      <Text c="red" size="sm" role="status">
        {t("exports.failed")}
      </Text>
    );
  }
  const total = item.rows_total ?? 0;
  const share = progressPercent(item);
  const label =
    item.status === "queued" ? t("exports.queued") : t("exports.progress", { done: item.rows_done, total });
  return (
    <Stack gap={2} style={{ minWidth: 160 }}>
      <Progress value={item.status === "queued" ? 0 : share} animated aria-label={label} />
      <Text size="xs" c="dimmed" role="status">
        {label}
      </Text>
    </Stack>
  );
}

/** The Export menu of one report: CSV or Excel, then that export's progress and link. */
export function ExportMenu({
  kind,
  label,
  filters,
  groupBy,
  metric,
  detail,
}: {
  kind: Kind;
  label?: string;
  filters: ReportFilters;
  groupBy?: Grouping;
  metric?: MetricName;
  detail?: string;
}) {
  const { t } = useTranslation();
  const exports = useExports();
  const request = useRequestExport();
  const [startedId, setStartedId] = useState<string | null>(null);
  const started = exports.data?.find((e) => e.id === startedId) ?? (request.data?.id === startedId ? request.data : null);
  const ask = (format: Format) =>
    request.mutate(exportBody(kind, format, filters, { groupBy, metric, detail }), {
      onSuccess: (e) => setStartedId(e.id),
    });
  return (
    <Group gap="sm" wrap="wrap">
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" size="xs" loading={request.isPending}>
            {label ?? t("exports.export")}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => ask("csv")}>{t("exports.csv")}</Menu.Item>
          <Menu.Item onClick={() => ask("xlsx")}>{t("exports.xlsx")}</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {request.isError && (
        <Text c="red" size="sm" role="alert">
          {errorMessage(request.error)}
        </Text>
      )}
      {started && <ExportStatus item={started} />}
    </Group>
  );
}

/** "Export conversations" and the member's recent exports. */
export function ExportsPanel({ filters }: { filters: ReportFilters }) {
  const { t, i18n } = useTranslation();
  const exports = useExports();
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const items = exports.data ?? [];
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={3} size="h5">
            {t("exports.title")}
          </Title>
          <ExportMenu kind="conversations" label={t("exports.conversations")} filters={filters} />
        </Group>
        <Text size="sm" c="dimmed">
          {t("exports.conversationsHint")}
        </Text>
        {exports.isError && <Alert color="red">{errorMessage(exports.error)}</Alert>}
        {items.length > 0 && (
          <Stack gap={6} aria-label={t("exports.recent")} role="list">
            {items.slice(0, 5).map((item) => (
              <Group key={item.id} justify="space-between" wrap="wrap" gap="xs" role="listitem">
                <Text size="sm">
                  {t(`exports.kinds.${item.kind}`)} · {item.format.toUpperCase()} · {when.format(new Date(item.created_at))}
                </Text>
                <ExportStatus item={item} />
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
