// Workflows: every workflow of the workspace with its status, trigger, runs today and the version
// in force with the day it was published; a new one starts blank or from a template; each can be paused, resumed, archived or restored.
import { ActionIcon, Alert, Badge, Button, Group, Stack, Switch, Table, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { WORKFLOWS_KEY, type WorkflowStatus, type WorkflowSummary, useWorkflows } from "./api";
import { formatPublishedDay } from "./listDates";
import { NewWorkflow } from "./NewWorkflow";
import { Menu } from "../components/Menu";

const STATUS_COLOURS: Record<WorkflowStatus, string> = { draft: "gray", active: "teal", paused: "yellow", archived: "dark" };

export function StatusBadge({ status }: { status: WorkflowStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOURS[status]} variant="light">
      {t(`workflows.status.${status}`)}
    </Badge>
  );
}

type Action = "pause" | "resume" | "archive" | "unarchive" | "delete";

function actionsFor(w: WorkflowSummary): Action[] {
  if (w.status === "archived") return ["unarchive"];
  const actions: Action[] = [];
  if (w.status === "active") actions.push("pause");
  if (w.status === "paused") actions.push("resume");
  actions.push("archive");
  if (w.status === "draft") actions.push("delete");
  return actions;
}

export function WorkflowList({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const queries = useQueryClient();
  const [archived, setArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const workflows = useWorkflows(archived);
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: Action }) => {
      const path = { params: { path: { workflow_id: id } } };
      switch (action) {
        case "pause":
          return unwrap(api.POST("/api/v1/workflows/{workflow_id}/pause", path));
        case "resume":
          return unwrap(api.POST("/api/v1/workflows/{workflow_id}/resume", path));
        case "archive":
          return unwrap(api.POST("/api/v1/workflows/{workflow_id}/archive", path));
        case "unarchive":
          return unwrap(api.POST("/api/v1/workflows/{workflow_id}/unarchive", path));
        default:
          return unwrap(api.DELETE("/api/v1/workflows/{workflow_id}", path));
      }
    },
    onSettled: () => queries.invalidateQueries({ queryKey: WORKFLOWS_KEY }),
  });
  const items = workflows.data ?? [];
  return (
    <Stack gap="md" p="md" style={{ flex: 1, overflow: "auto", minWidth: 0 }}>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t("workflows.list.title")}</Title>
        {canEdit && <Button onClick={() => setCreating(true)}>{t("workflows.list.new")}</Button>}
      </Group>
      <Switch label={t("workflows.list.showArchived")} checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} />
      {workflows.error && <Alert color="red">{errorMessage(workflows.error)}</Alert>}
      {act.error && <Alert color="red">{errorMessage(act.error)}</Alert>}
      {workflows.data && items.length === 0 && <Text c="dimmed">{t("workflows.list.empty")}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={phone ? 340 : 0}>
          <Table striped highlightOnHover aria-label={t("workflows.list.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("workflows.list.name")}</Table.Th>
                <Table.Th>{t("workflows.list.status")}</Table.Th>
                {!phone && <Table.Th>{t("workflows.list.trigger")}</Table.Th>}
                {!phone && <Table.Th>{t("workflows.list.today")}</Table.Th>}
                {!phone && <Table.Th>{t("workflows.list.published")}</Table.Th>}
                {canEdit && <Table.Th>{t("workflows.list.actions")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>
                    <Text component={Link} to={`/workflows/${w.id}`} fw={500} c="teal.9" style={{ textDecoration: "none" }}>
                      {w.name}
                    </Text>
                    {phone && (
                      <Text size="xs" c="dimmed">
                        {t(`workflows.trigger.${w.trigger_type ?? w.draft_trigger_type}`)}
                      </Text>
                    )}
                    {phone && (
                      <Text size="xs" c="dimmed">
                        {t("workflows.list.runsToday", { count: w.runs_today })}
                        {w.published_at && ` · ${t("workflows.list.publishedOn", { date: formatPublishedDay(w.published_at, i18n.language) })}`}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <StatusBadge status={w.status} />
                      {w.has_unpublished_changes && w.published_version !== null && (
                        <Text size="xs" c="dimmed">
                          {t("workflows.list.unpublished")}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  {!phone && <Table.Td>{t(`workflows.trigger.${w.trigger_type ?? w.draft_trigger_type}`)}</Table.Td>}
                  {!phone && <Table.Td>{t("workflows.list.runsToday", { count: w.runs_today })}</Table.Td>}
                  {!phone && (
                    <Table.Td>
                      {w.published_version !== null ? t("workflows.list.version", { number: w.published_version }) : t("workflows.list.never")}
                      {w.published_at && (
                        <Text size="xs" c="dimmed">
                          {t("workflows.list.publishedOn", { date: formatPublishedDay(w.published_at, i18n.language) })}
                        </Text>
                      )}
                    </Table.Td>
                  )}
                  {canEdit && (
                    <Table.Td>
                      <Menu position="bottom-end">
                        <Menu.Target>
                          <ActionIcon variant="subtle" aria-label={t("workflows.list.actionsFor", { name: w.name })}>
                            ⋯
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {actionsFor(w).map((action) => (
                            <Menu.Item key={action} color={action === "delete" ? "red" : undefined} onClick={() => act.mutate({ id: w.id, action })}>
                              {t(`workflows.actions.${action}`)}
                            </Menu.Item>
                          ))}
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {creating && <NewWorkflow onClose={() => setCreating(false)} />}
    </Stack>
  );
}
