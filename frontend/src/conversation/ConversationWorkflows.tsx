// The conversation's workflows: a line under the header with its run log (each run with each step
// it took, in a side panel) and, for agents, a menu of shortcut workflows to run on it.
import { Alert, Badge, Button, Drawer, Group, Paper, Stack, Text, UnstyledButton } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Me, api, errorMessage, unwrap } from "../api/client";
import { WORKFLOWS_KEY, isActive, useConversationRuns, useShortcuts, workflowKeys } from "../workflows/api";
import { RunById, RunStatusBadge } from "../workflows/RunSteps";
import { Menu } from "../components/Menu";

export function ConversationWorkflows({ conversationId, me, closed }: { conversationId: string; me: Me; closed: boolean }) {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const queries = useQueryClient();
  const role = me.workspace?.role;
  const agent = role !== undefined && role !== "viewer" && !me.workspace?.client_access;
  const admin = role === "owner" || role === "manager";
  const runs = useConversationRuns(conversationId, true);
  const shortcuts = useShortcuts(agent);
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (workflowId: string) =>
      unwrap(api.POST("/api/v1/conversations/{conversation_id}/shortcuts", { params: { path: { conversation_id: conversationId } }, body: { workflow_id: workflowId } })),
    onSuccess: async (started) => {
      queries.setQueryData(workflowKeys.run(started.id), started);
      await queries.invalidateQueries({ queryKey: [...WORKFLOWS_KEY, "conversation", conversationId] });
      setShown(started.id);
      setOpen(true);
    },
  });
  const items = runs.data?.items ?? [];
  const available = agent && !closed ? (shortcuts.data ?? []) : [];
  if (items.length === 0 && available.length === 0 && !run.error) return null;
  const active = items.filter((r) => isActive(r.status)).length;
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <>
      <Group px="sm" py={4} gap="xs" style={{ borderBottom: "1px solid var(--mantine-color-gray-2)" }} wrap="wrap">
        {items.length > 0 && (
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)}>
            {t("workflows.conversation.runs", { count: items.length })}
          </Button>
        )}
        {active > 0 && (
          <Badge size="xs" color="blue" variant="light">
            {t("workflows.conversation.active", { count: active })}
          </Badge>
        )}
        {available.length > 0 && (
          <Menu position="bottom-start">
            <Menu.Target>
              <Button size="compact-xs" variant="light" loading={run.isPending}>
                {t("workflows.conversation.shortcut")}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {available.map((s) => (
                <Menu.Item key={s.id} onClick={() => run.mutate(s.id)}>
                  <Text size="sm">{s.name}</Text>
                  {s.description && (
                    <Text size="xs" c="dimmed">
                      {s.description}
                    </Text>
                  )}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
        {run.error && (
          <Text size="xs" c="red.7" role="alert">
            {errorMessage(run.error)}
          </Text>
        )}
      </Group>
      <Drawer
        opened={open}
        onClose={() => setOpen(false)}
        position="right"
        size={phone ? "100%" : "md"}
        title={t("workflows.conversation.title")}
        closeButtonProps={{ "aria-label": t("workflows.conversation.close") }}
      >
        <Stack gap="xs" role="list" aria-label={t("workflows.conversation.title")}>
          {runs.error && <Alert color="red">{errorMessage(runs.error)}</Alert>}
          {items.map((r) => (
            <Paper key={r.id} withBorder p="xs" role="listitem">
              <UnstyledButton w="100%" onClick={() => setShown(shown === r.id ? null : r.id)} aria-expanded={shown === r.id}>
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600} truncate>
                    {r.workflow_name}
                  </Text>
                  <RunStatusBadge status={r.status} />
                </Group>
                <Text size="xs" c="dimmed">
                  {when.format(new Date(r.started_at))} · {t("workflows.conversation.steps", { count: r.steps_taken })}
                </Text>
              </UnstyledButton>
              {shown === r.id && (
                <Stack mt="xs">
                  <RunById runId={r.id} canAct={admin} />
                </Stack>
              )}
            </Paper>
          ))}
        </Stack>
      </Drawer>
    </>
  );
}
