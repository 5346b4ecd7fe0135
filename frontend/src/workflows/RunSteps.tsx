// One run and every step it took: status, the outlet it left by, how long it took, its input,
// output and error; a failed run is retried from the failed step, an active one can be stopped.
// Shown in the builder's run log, after a test run, and in the conversation's panel.
import { Alert, Badge, Button, Code, Group, Loader, Paper, Spoiler, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { type RunDetail, type RunStatus, type StepRun, WORKFLOWS_KEY, isActive, useRun, workflowKeys } from "./api";
import type { Definition } from "./definition";

export const RUN_COLOURS: Record<RunStatus, string> = { running: "blue", waiting: "yellow", completed: "teal", failed: "red", cancelled: "gray" };
const STEP_COLOURS: Record<string, string> = { started: "blue", done: "teal", waiting: "yellow", failed: "red" };

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" color={RUN_COLOURS[status]} variant="light">
      {t(`workflows.runs.status.${status}`)}
    </Badge>
  );
}

/** "1.2 s", "3 min" between two times, or "" while it is not over. */
export function duration(startIso: string, endIso: string | null, language: string): string {
  if (!endIso) return "";
  const ms = Math.max(0, Date.parse(endIso) - Date.parse(startIso));
  const [value, unit]: [number, string] =
    ms < 1000 ? [ms, "millisecond"] : ms < 60_000 ? [Math.round(ms / 100) / 10, "second"] : ms < 3_600_000 ? [Math.round(ms / 60_000), "minute"] : [Math.round(ms / 3_600_000), "hour"];
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "short" }).format(value);
}

function Json({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined || (typeof value === "object" && Object.keys(value as object).length === 0)) return null;
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Spoiler maxHeight={72} showLabel="…" hideLabel="↑">
        <Code block style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
          {JSON.stringify(value, null, 2)}
        </Code>
      </Spoiler>
    </div>
  );
}

function StepRow({ row, name }: { row: StepRun; name: string }) {
  const { t, i18n } = useTranslation();
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: "medium" });
  return (
    <Paper withBorder p="xs" role="listitem" aria-label={t("workflows.runs.stepLabel", { n: row.seq, name })}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed">
            {row.seq}
          </Text>
          <Text size="sm" fw={600} truncate>
            {name}
          </Text>
          <Badge size="xs" color={STEP_COLOURS[row.status] ?? "gray"} variant="light">
            {t(`workflows.runs.stepStatus.${row.status}`, { defaultValue: row.status })}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {time.format(new Date(row.started_at))}
          {row.ended_at ? ` · ${duration(row.started_at, row.ended_at, i18n.language)}` : ""}
          {row.attempts > 1 ? ` · ${t("workflows.runs.attempts", { count: row.attempts })}` : ""}
        </Text>
      </Group>
      {row.outlet && (
        <Text size="xs" mt={2}>
          {t("workflows.runs.leftBy", { outlet: row.outlet })}
        </Text>
      )}
      {row.error && (
        <Text size="xs" c="red.7" mt={2}>
          {row.error}
        </Text>
      )}
      <Stack gap={4} mt={4}>
        <Json label={t("workflows.runs.input")} value={row.input} />
        <Json label={t("workflows.runs.output")} value={row.output} />
      </Stack>
    </Paper>
  );
}

export function RunDetailView({ run, definition, canAct }: { run: RunDetail; definition?: Definition; canAct: boolean }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const names = new Map((definition?.steps ?? []).map((s) => [s.id, s.name || s.id]));
  const act = useMutation({
    mutationFn: (action: "retry" | "cancel") => {
      const path = { params: { path: { run_id: run.id } } };
      return unwrap(action === "retry" ? api.POST("/api/v1/workflow-runs/{run_id}/retry", path) : api.POST("/api/v1/workflow-runs/{run_id}/cancel", { ...path, body: { reason: "" } }));
    },
    onSuccess: async (updated) => {
      queries.setQueryData(workflowKeys.run(run.id), updated);
      await queries.invalidateQueries({ queryKey: WORKFLOWS_KEY });
    },
  });
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "medium" });
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="wrap">
        <RunStatusBadge status={run.status} />
        {run.is_test && (
          <Badge size="sm" variant="outline">
            {t("workflows.runs.test")}
          </Badge>
        )}
        <Text size="xs" c="dimmed">
          {run.version_number > 0
            ? t("workflows.runs.versionAt", { number: run.version_number, when: when.format(new Date(run.started_at)) })
            : t("workflows.runs.draftAt", { when: when.format(new Date(run.started_at)) })}
        </Text>
        {isActive(run.status) && <Loader size="xs" aria-hidden />}
      </Group>
      {run.status === "waiting" && (
        <Text size="xs">{run.wait_kind === "reply" ? t("workflows.runs.waitingReply") : t("workflows.runs.waitingTime", { when: run.wait_until ? when.format(new Date(run.wait_until)) : "" })}</Text>
      )}
      {run.error && (
        <Alert color="red" p="xs">
          {run.error}
        </Alert>
      )}
      {canAct && (
        <Group gap="xs">
          {run.status === "failed" && (
            <Button size="xs" loading={act.isPending} onClick={() => act.mutate("retry")}>
              {t("workflows.runs.retry")}
            </Button>
          )}
          {isActive(run.status) && (
            <Button size="xs" variant="light" color="red" loading={act.isPending} onClick={() => act.mutate("cancel")}>
              {t("workflows.runs.cancel")}
            </Button>
          )}
        </Group>
      )}
      {act.error && <Alert color="red">{errorMessage(act.error)}</Alert>}
      <Stack gap={4} role="list" aria-label={t("workflows.runs.steps")}>
        {run.steps.map((row) => (
          <StepRow key={row.id} row={row} name={names.get(row.step_id) ?? `${t(`workflows.step.${row.step_type}`, { defaultValue: row.step_type })} · ${row.step_id}`} />
        ))}
        {run.steps.length === 0 && (
          <Text size="sm" c="dimmed">
            {t("workflows.runs.noSteps")}
          </Text>
        )}
      </Stack>
    </Stack>
  );
}

/** A run fetched by id, kept fresh while it moves. */
export function RunById({ runId, definition, canAct }: { runId: string; definition?: Definition; canAct: boolean }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const run = useRun(runId);
  // The lists showing this run catch up when it moves on (a wait, its end).
  const status = run.data?.status;
  useEffect(() => {
    if (!status) return;
    void queries.invalidateQueries({ queryKey: [...WORKFLOWS_KEY, "conversation"] });
    void queries.invalidateQueries({ queryKey: [...WORKFLOWS_KEY, "runs"] });
  }, [status, queries]);
  if (run.error) return <Alert color="red">{errorMessage(run.error)}</Alert>;
  if (!run.data) return <Loader size="sm" aria-label={t("app.loading")} />;
  return <RunDetailView run={run.data} definition={definition} canAct={canAct} />;
}
