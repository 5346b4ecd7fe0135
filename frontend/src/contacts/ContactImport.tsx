// Importing contacts from a CSV: upload → map the columns (with a preview) → the job's progress
// bar → a report of what was created, updated and refused, row by row.
import { Alert, Anchor, Button, FileInput, Group, Modal, Progress, Select, Stack, Stepper, Table, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api, csrfToken, errorMessage, unwrap } from "../api/client";
import { type ContactImport, canStart, importPercent, isRunning, remap, targetOptions } from "./importMapping";

const REGIONS = ["BR", "VN", "US", "GB", "PT", "MY", "SG", "IN"] as const;
const POLL_MS = 700;

async function uploadCsv(file: File): Promise<ContactImport> {
  const form = new FormData();
  form.append("file", file, file.name);
  const response = await fetch("/api/v1/contact-imports", { method: "POST", body: form, headers: { "X-CSRF-Token": csrfToken() } });
  const body = (await response.json().catch(() => ({}))) as ContactImport & { error?: { code?: string; message?: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.code ?? "error", body.error?.message ?? response.statusText);
  return body;
}

function useFieldKeys() {
  return useQuery({
    queryKey: ["custom-fields"],
    queryFn: () => unwrap(api.GET("/api/v1/custom-fields")),
    select: (fields) => fields.map((f) => ({ key: f.key, label: f.label })),
  });
}

function Mapping({ draft, onStarted }: { draft: ContactImport; onStarted: (item: ContactImport) => void }) {
  const { t } = useTranslation();
  const fields = useFieldKeys();
  const [mapping, setMapping] = useState<Record<string, string>>(draft.suggested_mapping ?? {});
  const [region, setRegion] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/contact-imports/{import_id}/start", {
          params: { path: { import_id: draft.id } },
          body: { mapping, default_region: region },
        }),
      ),
    onSuccess: onStarted,
  });
  const labels = new Map((fields.data ?? []).map((f) => [`field:${f.key}`, f.label]));
  const options = targetOptions((fields.data ?? []).map((f) => f.key)).map((value) => ({
    value,
    label: labels.get(value) ?? t(`contactImport.targets.${value}`),
  }));
  const regionNames = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "region" });
  return (
    <Stack gap="sm">
      <Text size="sm">{t("contactImport.mappingHelp", { rows: draft.rows_total, file: draft.file_name })}</Text>
      <Table.ScrollContainer minWidth={320}>
        <Table aria-label={t("contactImport.mappingTable")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("contactImport.column")}</Table.Th>
              <Table.Th>{t("contactImport.fills")}</Table.Th>
              <Table.Th>{t("contactImport.example")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {draft.columns.map((column, index) => (
              <Table.Tr key={column}>
                <Table.Td>{column}</Table.Td>
                <Table.Td miw={150}>
                  <Select
                    aria-label={t("contactImport.fillsColumn", { column })}
                    placeholder={t("contactImport.skip")}
                    data={options}
                    value={mapping[column] ?? null}
                    clearable
                    onChange={(target) => setMapping(remap(mapping, column, target))}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed" truncate maw={180}>
                    {(draft.preview ?? []).map((row) => row[index] ?? "").find(Boolean) ?? ""}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Select
        label={t("contactImport.region")}
        description={t("contactImport.regionHelp")}
        data={REGIONS.map((code) => ({ value: code, label: regionNames.of(code) ?? code }))}
        value={region}
        onChange={setRegion}
        clearable
      />
      {start.error && (
        <Alert color="red" role="alert">
          {errorMessage(start.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!canStart(mapping)}>
          {t("contactImport.start", { count: draft.rows_total })}
        </Button>
      </Group>
    </Stack>
  );
}

export function ImportProgress({ item }: { item: ContactImport }) {
  const { t } = useTranslation();
  const percent = importPercent(item);
  return (
    <Stack gap={4}>
      <Progress value={percent} size="lg" animated={isRunning(item)} aria-label={t("contactImport.progress")} />
      <Text size="sm" role="status">
        {item.status === "queued"
          ? t("contactImport.queued")
          : t("contactImport.rowsDone", { done: item.rows_done, total: item.rows_total })}
      </Text>
    </Stack>
  );
}

export function ImportReport({ item }: { item: ContactImport }) {
  const { t } = useTranslation();
  if (item.status === "failed") {
    return (
      <Alert color="red" role="alert">
        {t("contactImport.failed")}
      </Alert>
    );
  }
  return (
    <Stack gap="sm" role="region" aria-label={t("contactImport.report")}>
      <Group gap="lg">
        <Text>{t("contactImport.created", { count: item.rows_created })}</Text>
        <Text>{t("contactImport.updated", { count: item.rows_updated })}</Text>
        <Text c={item.rows_failed ? "red" : undefined}>{t("contactImport.refused", { count: item.rows_failed })}</Text>
      </Group>
      {item.row_errors.length > 0 && (
        <Table.ScrollContainer minWidth={320}>
          <Table aria-label={t("contactImport.refusedRows")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("contactImport.row")}</Table.Th>
                <Table.Th>{t("contactImport.column")}</Table.Th>
                <Table.Th>{t("contactImport.why")}</Table.Th>
                <Table.Th>{t("contactImport.value")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {item.row_errors.map((e) => (
                <Table.Tr key={`${e.row}:${e.column}`}>
                  <Table.Td>{e.row}</Table.Td>
                  <Table.Td>{e.column}</Table.Td>
                  <Table.Td>{t(`contactImport.errors.${e.code}`)}</Table.Td>
                  <Table.Td>{e.value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {item.error_report_url && (
        <Anchor href={item.error_report_url} download size="sm">
          {t("contactImport.download")}
        </Anchor>
      )}
    </Stack>
  );
}

export function ContactImportWizard({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [draft, setDraft] = useState<ContactImport | null>(null);
  const [startedId, setStartedId] = useState<string | null>(null);
  const upload = useMutation({ mutationFn: uploadCsv, onSuccess: setDraft });
  const run = useQuery({
    queryKey: ["contact-import", startedId],
    enabled: startedId !== null,
    queryFn: () => unwrap(api.GET("/api/v1/contact-imports/{import_id}", { params: { path: { import_id: startedId ?? "" } } })),
    refetchInterval: (query) => (isRunning(query.state.data) || !query.state.data ? POLL_MS : false),
  });
  const item = run.data;
  const finished = item !== undefined && !isRunning(item);
  const step = finished ? 3 : startedId ? 2 : draft ? 1 : 0;
  const close = () => {
    if (finished) void queries.invalidateQueries({ queryKey: ["contacts"] });
    setFile(null);
    setDraft(null);
    setStartedId(null);
    upload.reset();
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t("contactImport.title")}
      size="xl"
      fullScreen={phone}
      closeButtonProps={{ "aria-label": t("contactImport.closeDialog") }}
    >
      <Stepper active={step} size="sm" orientation={phone ? "vertical" : "horizontal"} allowNextStepsSelect={false}>
        <Stepper.Step label={t("contactImport.steps.upload")}>
          <Stack gap="sm">
            <FileInput
              label={t("contactImport.file")}
              description={t("contactImport.fileHelp")}
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              clearable
            />
            {upload.error && (
              <Alert color="red" role="alert">
                {errorMessage(upload.error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate(file)}>
                {t("contactImport.upload")}
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t("contactImport.steps.mapping")}>
          {draft && <Mapping draft={draft} onStarted={(started) => setStartedId(started.id)} />}
        </Stepper.Step>
        <Stepper.Step label={t("contactImport.steps.progress")}>{item && <ImportProgress item={item} />}</Stepper.Step>
        <Stepper.Completed>
          {item && (
            <Stack gap="md">
              <ImportProgress item={item} />
              <ImportReport item={item} />
              <Group justify="flex-end">
                <Button onClick={close}>{t("contactImport.close")}</Button>
              </Group>
            </Stack>
          )}
        </Stepper.Completed>
      </Stepper>
    </Modal>
  );
}
