// Version history: every published version (newest first) with its note, what changed in it or
// in the draft since the version in force, and rolling back to an earlier one (published again
// as a new version; the draft becomes it).
import { Alert, Badge, Button, Code, Group, List, Loader, Paper, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { WORKFLOWS_KEY, type WorkflowDiff, useDiff, useVersions } from "./api";

interface HistoryProps {
  workflowId: string;
  canEdit: boolean;
  onRolledBack: () => void;
}

export function History({ workflowId, canEdit, onRolledBack }: HistoryProps) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const versions = useVersions(workflowId);
  const [compare, setCompare] = useState<{ from: string; to: string } | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const rollback = useMutation({
    mutationFn: (number: number) =>
      unwrap(api.POST("/api/v1/workflows/{workflow_id}/rollback", { params: { path: { workflow_id: workflowId } }, body: { number, note: "" } })),
    onSuccess: async () => {
      setConfirming(null);
      onRolledBack();
      await queries.invalidateQueries({ queryKey: WORKFLOWS_KEY });
    },
  });
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const list = versions.data ?? [];
  const current = list.find((v) => v.is_current);
  return (
    <Stack gap="sm">
      {versions.isPending && <Loader size="sm" aria-label={t("app.loading")} />}
      {versions.error && <Alert color="red">{errorMessage(versions.error)}</Alert>}
      {versions.data && list.length === 0 && <Text c="dimmed">{t("workflows.history.none")}</Text>}
      {current && (
        <Button size="xs" variant="light" style={{ alignSelf: "flex-start" }} onClick={() => setCompare({ from: String(current.number), to: "draft" })}>
          {t("workflows.history.draftChanges")}
        </Button>
      )}
      {compare && <DiffView workflowId={workflowId} from={compare.from} to={compare.to} />}
      {rollback.error && <Alert color="red">{errorMessage(rollback.error)}</Alert>}
      <Stack gap="xs" role="list" aria-label={t("workflows.history.title")}>
        {list.map((version) => (
          <Paper key={version.id} withBorder p="xs" role="listitem">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Group gap="xs">
                <Text fw={600}>{t("workflows.history.version", { number: version.number })}</Text>
                {version.is_current && (
                  <Badge size="sm" color="teal">
                    {t("workflows.history.current")}
                  </Badge>
                )}
                <Text size="xs" c="dimmed">
                  {when.format(new Date(version.published_at))}
                </Text>
              </Group>
              <Group gap={4}>
                {version.number > 1 && (
                  <Button size="compact-xs" variant="subtle" onClick={() => setCompare({ from: String(version.number - 1), to: String(version.number) })}>
                    {t("workflows.history.changes", { number: version.number })}
                  </Button>
                )}
                {canEdit && !version.is_current && confirming !== version.number && (
                  <Button size="compact-xs" variant="light" color="orange" onClick={() => setConfirming(version.number)}>
                    {t("workflows.history.rollback", { number: version.number })}
                  </Button>
                )}
                {confirming === version.number && (
                  <Button size="compact-xs" color="orange" loading={rollback.isPending} onClick={() => rollback.mutate(version.number)}>
                    {t("workflows.history.confirmRollback", { number: version.number })}
                  </Button>
                )}
              </Group>
            </Group>
            {version.note && (
              <Text size="sm" mt={4}>
                {version.note}
              </Text>
            )}
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}

function DiffView({ workflowId, from, to }: { workflowId: string; from: string; to: string }) {
  const { t } = useTranslation();
  const diff = useDiff(workflowId, from, to);
  const label = (v: string) => (v === "draft" ? t("workflows.history.draft") : t("workflows.history.version", { number: v }));
  return (
    <Paper withBorder p="sm" bg="gray.0" aria-label={t("workflows.diff.title", { from: label(from), to: label(to) })} role="region">
      <Text fw={600} size="sm" mb={4}>
        {t("workflows.diff.title", { from: label(from), to: label(to) })}
      </Text>
      {diff.isPending && <Loader size="xs" aria-label={t("app.loading")} />}
      {diff.error && <Alert color="red">{errorMessage(diff.error)}</Alert>}
      {diff.data && <DiffBody diff={diff.data} />}
    </Paper>
  );
}

export function DiffBody({ diff }: { diff: WorkflowDiff }) {
  const { t } = useTranslation();
  const stepName = (s: { step_id: string; type: string; name: string }) => s.name || `${t(`workflows.step.${s.type}`)} · ${s.step_id}`;
  const nothing = !diff.trigger_changed && !diff.start_changed && !diff.steps_added.length && !diff.steps_removed.length && !diff.steps_changed.length;
  if (nothing) return <Text size="sm" c="dimmed">{t("workflows.diff.none")}</Text>;
  const triggerType = (v: Record<string, unknown>) => (typeof v.type === "string" ? t(`workflows.trigger.${v.type}`) : "—");
  return (
    <Stack gap={6}>
      {diff.trigger_changed && (
        <Text size="sm">
          {t("workflows.diff.trigger", { before: triggerType(diff.trigger_before), after: triggerType(diff.trigger_after) })}
        </Text>
      )}
      {diff.start_changed && <Text size="sm">{t("workflows.diff.start")}</Text>}
      {diff.steps_added.length > 0 && (
        <div>
          <Text size="sm" c="teal.8" fw={500}>
            {t("workflows.diff.added", { count: diff.steps_added.length })}
          </Text>
          <List size="sm">
            {diff.steps_added.map((s) => (
              <List.Item key={s.step_id}>{stepName(s)}</List.Item>
            ))}
          </List>
        </div>
      )}
      {diff.steps_removed.length > 0 && (
        <div>
          <Text size="sm" c="red.8" fw={500}>
            {t("workflows.diff.removed", { count: diff.steps_removed.length })}
          </Text>
          <List size="sm">
            {diff.steps_removed.map((s) => (
              <List.Item key={s.step_id}>{stepName(s)}</List.Item>
            ))}
          </List>
        </div>
      )}
      {diff.steps_changed.length > 0 && (
        <div>
          <Text size="sm" c="orange.8" fw={500}>
            {t("workflows.diff.changed", { count: diff.steps_changed.length })}
          </Text>
          <List size="sm">
            {diff.steps_changed.map((s) => (
              <List.Item key={s.step_id}>
                {stepName(s)}:{" "}
                {s.fields.map((f) => (
                  <Code key={f} mr={4}>
                    {f === "position" ? t("workflows.diff.moved") : f}
                  </Code>
                ))}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}
