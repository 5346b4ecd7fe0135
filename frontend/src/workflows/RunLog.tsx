// The workflow's run log: its runs, newest first, filtered by status; open one to see each step
// with its input, output, time and error, and retry it from the failed step.
import { Alert, Button, Group, Loader, Select, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { errorMessage } from "../api/client";
import { RUN_STATUSES, type RunStatus, useWorkflowRuns } from "./api";
import type { Definition } from "./definition";
import { RunById, RunStatusBadge } from "./RunSteps";

export function RunLog({ workflowId, definition, canEdit }: { workflowId: string; definition: Definition; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<RunStatus | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const runs = useWorkflowRuns(workflowId, status);
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  if (open) {
    return (
      <Stack gap="sm">
        <Button size="xs" variant="subtle" onClick={() => setOpen(null)} style={{ alignSelf: "flex-start" }}>
          {t("workflows.runs.back")}
        </Button>
        <RunById runId={open} definition={definition} canAct={canEdit} />
      </Stack>
    );
  }
  const items = runs.data?.items ?? [];
  return (
    <Stack gap="sm">
      <Select
        label={t("workflows.runs.filter")}
        placeholder={t("workflows.runs.anyStatus")}
        data={RUN_STATUSES.map((s) => ({ value: s, label: t(`workflows.runs.status.${s}`) }))}
        value={status}
        clearable
        onChange={(v) => setStatus((v as RunStatus | null) ?? null)}
      />
      {runs.isPending && <Loader size="sm" aria-label={t("app.loading")} />}
      {runs.error && <Alert color="red">{errorMessage(runs.error)}</Alert>}
      {runs.data && items.length === 0 && <Text c="dimmed">{t("workflows.runs.none")}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={420}>
          <Table striped highlightOnHover aria-label={t("workflows.runs.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("workflows.runs.started")}</Table.Th>
                <Table.Th>{t("workflows.runs.statusColumn")}</Table.Th>
                <Table.Th>{t("workflows.runs.stepsColumn")}</Table.Th>
                <Table.Th>{t("workflows.runs.conversation")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>
                    <Button size="compact-sm" variant="subtle" onClick={() => setOpen(run.id)} aria-label={t("workflows.runs.open", { when: when.format(new Date(run.started_at)) })}>
                      {when.format(new Date(run.started_at))}
                    </Button>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <RunStatusBadge status={run.status} />
                      {run.is_test && (
                        <Text size="xs" c="dimmed">
                          {t("workflows.runs.test")}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{run.steps_taken}</Table.Td>
                  <Table.Td>
                    {run.conversation_id ? (
                      <Button component={Link} to={`/conversations/${run.conversation_id}`} size="compact-xs" variant="subtle">
                        {t("workflows.runs.openConversation")}
                      </Button>
                    ) : (
                      "—"
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
