// The workflow builder: the canvas with the selected step's editor beside it (a full-screen sheet
// on a phone), the draft saved as it is edited, and the toolbar: publish (only when no check
// finds a fault), version history, a test run and the run log.
import { ActionIcon, Alert, Badge, Box, Button, Drawer, Group, Loader, Text, TextInput, Tooltip } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { WORKFLOWS_KEY, type WorkflowRead, useVariables, useWorkflow } from "./api";
import { Canvas } from "./Canvas";
import { TRIGGER_ID } from "./flow";
import { configProblems } from "./checks";
import { type Problem, graphProblems, problemsByStep } from "./graph";
import { History } from "./History";
import { PublishDialog } from "./PublishDialog";
import { RunLog } from "./RunLog";
import type { SaveStatus } from "./save";
import { StepEditor } from "./StepEditor";
import { TestRun } from "./TestRun";
import { TriggerEditor } from "./TriggerEditor";
import { useDraft } from "./useDraft";
import { VariablesContext } from "./VariableText";
import { StatusBadge } from "./WorkflowList";
import { Menu } from "../components/Menu";

export function Builder({ canEdit }: { canEdit: boolean }) {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const workflow = useWorkflow(id);
  if (workflow.error) return <Alert color="red" m="md">{errorMessage(workflow.error)}</Alert>;
  if (!workflow.data) return <Loader m="md" aria-label={t("app.loading")} />;
  return <Editor key={workflow.data.id} workflow={workflow.data} canEdit={canEdit} />;
}

type Panel = "history" | "test" | "runs" | null;

function SaveIndicator({ status, error, onReload }: { status: SaveStatus; error: string | null; onReload: () => void }) {
  const { t } = useTranslation();
  if (status === "conflict") {
    return (
      <Group gap={4} role="status">
        <Badge color="orange">{t("workflows.save.conflict")}</Badge>
        <Button size="compact-xs" color="orange" onClick={onReload}>
          {t("workflows.save.reload")}
        </Button>
      </Group>
    );
  }
  const colour = { saved: "teal", pending: "gray", saving: "gray", error: "red" }[status];
  return (
    <Tooltip label={error ?? ""} disabled={!error}>
      <Badge color={colour} variant="light" role="status">
        {t(`workflows.save.${status}`)}
      </Badge>
    </Tooltip>
  );
}

function merged(client: Problem[], server: Problem[]): Problem[] {
  const seen = new Set(client.map((p) => `${p.code}|${p.step_id ?? ""}|${p.outlet ?? ""}`));
  return [...client, ...server.filter((p) => !seen.has(`${p.code}|${p.step_id ?? ""}|${p.outlet ?? ""}`))];
}

function Editor({ workflow, canEdit }: { workflow: WorkflowRead; canEdit: boolean }) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const queries = useQueryClient();
  const draft = useDraft(workflow);
  const variables = useVariables();
  const [selected, setSelected] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [publishing, setPublishing] = useState(false);
  const { definition } = draft;
  const clientProblems = useMemo(() => [...graphProblems(definition), ...configProblems(definition)], [definition]);
  const problems = useMemo(() => merged(clientProblems, draft.serverProblems), [clientProblems, draft.serverProblems]);
  const byStep = useMemo(() => problemsByStep(problems), [problems]);
  const catalogue = useMemo(() => {
    const server = (variables.data?.variables ?? []).map((v) => ({ key: v.path, label: v.label || v.path, group: t(`workflows.variables.group.${v.group}`, { defaultValue: v.group }), type: "text" }));
    const own = definition.steps
      .flatMap((s) => [s.config.save_to, ...(s.type === "http_request" && s.config.map && typeof s.config.map === "object" ? Object.keys(s.config.map).map((k) => `vars.${k}`) : [])])
      .filter((k): k is string => typeof k === "string" && k.startsWith("vars."));
    return [...server, ...[...new Set(own)].filter((k) => !server.some((v) => v.key === k)).map((key) => ({ key, label: key.slice(5), group: t("workflows.variables.saved"), type: "text" }))];
  }, [variables.data, definition, t]);
  const lifecycle = useMutation({
    mutationFn: (action: "pause" | "resume") => {
      const path = { params: { path: { workflow_id: workflow.id } } };
      return unwrap(action === "pause" ? api.POST("/api/v1/workflows/{workflow_id}/pause", path) : api.POST("/api/v1/workflows/{workflow_id}/resume", path));
    },
    onSuccess: async () => {
      await draft.reload();
      await queries.invalidateQueries({ queryKey: WORKFLOWS_KEY });
    },
  });
  const current = useWorkflow(workflow.id).data ?? workflow;
  const readOnly = !canEdit;
  const step = definition.steps.find((s) => s.id === selected);
  const blockers = problems.length;
  const saved = draft.save.status === "saved";
  // The version in force is the draft as it is: publishing again would add nothing.
  const unchanged = current.published_version !== null && !current.has_unpublished_changes;

  const editor =
    selected === TRIGGER_ID ? (
      <TriggerEditor
        workflowId={workflow.id}
        webhookUrl={current.webhook_url ?? null}
        definition={definition}
        problems={problems}
        readOnly={readOnly}
        onChange={draft.edit}
        onClose={() => setSelected(null)}
      />
    ) : step ? (
      <StepEditor key={step.id} step={step} definition={definition} problems={problems} readOnly={readOnly} onChange={draft.edit} onClose={() => setSelected(null)} />
    ) : null;

  return (
    <VariablesContext.Provider value={catalogue}>
      <Box style={{ display: "flex", flexDirection: "column", flex: 1, minWidth: 0, height: "calc(100dvh - 56px)" }}>
        <Group p="xs" gap="xs" justify="space-between" wrap="wrap" style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}>
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0, flex: "1 1 220px" }}>
            <ActionIcon component={Link} to="/workflows" variant="subtle" aria-label={t("workflows.builder.back")}>
              ←
            </ActionIcon>
            <TextInput
              aria-label={t("workflows.builder.name")}
              value={draft.name}
              readOnly={readOnly}
              onChange={(e) => draft.rename(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 0 }}
              size="xs"
            />
            <StatusBadge status={current.status} />
            {canEdit && <SaveIndicator status={draft.save.status} error={draft.save.error} onReload={() => void draft.reload()} />}
          </Group>
          <Group gap="xs" wrap="wrap">
            {blockers > 0 && (
              <Text size="xs" c="red.7" role="status">
                {t("workflows.builder.problems", { count: blockers })}
              </Text>
            )}
            <Button size="xs" variant="default" onClick={() => setSelected(TRIGGER_ID)}>
              {t("workflows.builder.trigger")}
            </Button>
            {canEdit && (
              <Button size="xs" disabled={blockers > 0 || !saved || unchanged} onClick={() => setPublishing(true)}>
                {t("workflows.builder.publish")}
              </Button>
            )}
            <Menu position="bottom-end">
              <Menu.Target>
                <Button size="xs" variant="default">
                  {t("workflows.builder.more")}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => setPanel("history")}>{t("workflows.history.title")}</Menu.Item>
                {canEdit && <Menu.Item onClick={() => setPanel("test")}>{t("workflows.test.title")}</Menu.Item>}
                <Menu.Item onClick={() => setPanel("runs")}>{t("workflows.runs.title")}</Menu.Item>
                {canEdit && current.status === "active" && (
                  <Menu.Item disabled={!saved} onClick={() => lifecycle.mutate("pause")}>
                    {t("workflows.actions.pause")}
                  </Menu.Item>
                )}
                {canEdit && current.status === "paused" && (
                  <Menu.Item disabled={!saved} onClick={() => lifecycle.mutate("resume")}>
                    {t("workflows.actions.resume")}
                  </Menu.Item>
                )}
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
        {draft.save.status === "conflict" && (
          <Alert color="orange" radius={0} p="xs">
            {t("workflows.save.conflictText")}
          </Alert>
        )}
        {draft.save.status === "error" && draft.save.error && (
          <Alert color="red" radius={0} p="xs">
            {t("workflows.save.failed", { message: draft.save.error })}
          </Alert>
        )}
        {lifecycle.error && (
          <Alert color="red" radius={0} p="xs">
            {errorMessage(lifecycle.error)}
          </Alert>
        )}
        <Box style={{ display: "flex", flex: 1, minHeight: 0 }}>
          <Canvas definition={definition} problems={byStep} selected={selected} readOnly={readOnly} onChange={draft.edit} onSelect={setSelected} />
          {!phone && editor && (
            <Box w={380} style={{ borderLeft: "1px solid var(--mantine-color-gray-3)", overflowY: "auto", flexShrink: 0 }}>
              {editor}
            </Box>
          )}
        </Box>
      </Box>
      {phone && (
        <Drawer opened={Boolean(editor)} onClose={() => setSelected(null)} position="bottom" size="100%" withCloseButton={false} padding={0}>
          {editor}
        </Drawer>
      )}
      <PublishDialog
        opened={publishing}
        workflowId={workflow.id}
        onClose={() => setPublishing(false)}
        onPublished={() => void draft.reload()}
        onProblems={(found) => draft.setServerProblems(found)}
      />
      <Drawer opened={panel === "history"} onClose={() => setPanel(null)} position="right" size={phone ? "100%" : "lg"} title={t("workflows.history.title")}>
        {panel === "history" && <History workflowId={workflow.id} canEdit={canEdit && saved} onRolledBack={() => void draft.reload()} />}
      </Drawer>
      <Drawer opened={panel === "test"} onClose={() => setPanel(null)} position="right" size={phone ? "100%" : "lg"} title={t("workflows.test.title")}>
        {panel === "test" && <TestRun workflowId={workflow.id} definition={definition} blocked={blockers > 0 || !saved} />}
      </Drawer>
      <Drawer opened={panel === "runs"} onClose={() => setPanel(null)} position="right" size={phone ? "100%" : "xl"} title={t("workflows.runs.title")}>
        {panel === "runs" && <RunLog workflowId={workflow.id} definition={definition} canEdit={canEdit} />}
      </Drawer>
    </VariablesContext.Provider>
  );
}
