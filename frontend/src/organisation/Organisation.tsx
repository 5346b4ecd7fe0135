// The organisation overview: every workspace with its load now and today's figures, live.
import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { type Me, api, errorMessage, unwrap } from "../api/client";
import { formatCount, formatDuration, formatShare } from "../reports/format";
import { type OrganisationWorkspace, useOrganisationOverview } from "./hooks";
import { type Created, NewWorkspace } from "./NewWorkspace";
import {
  LEVEL_COLOURS,
  type Level,
  abandonmentLevel,
  firstResponseLevel,
  queueLevel,
  serviceLevel,
  waitLevel,
} from "./thresholds";

// Text readable on white (4.5:1): yellow is not, so a figure to watch keeps the text colour and
// shows its level by the bar beside it (and in words to screen readers).
const VALUE_COLOURS: Record<Level, string | undefined> = { good: "teal.9", watch: undefined, act: "red.9", none: undefined };

function Figure({ label, value, level = "none" }: { label: string; value: string; level?: Level }) {
  const { t } = useTranslation();
  const judged = level === "none" ? "" : ` (${t(`organisation.level.${level}`)})`;
  return (
    <Stack
      gap={0}
      role="group"
      aria-label={`${label}: ${value}${judged}`}
      pl={6}
      style={{ borderLeft: `3px solid var(--mantine-color-${LEVEL_COLOURS[level]}-${level === "none" ? 2 : 6})` }}
    >
      <Text size="xs" c="dimmed" lh={1.2}>
        {label}
      </Text>
      <Text fw={600} size="lg" c={VALUE_COLOURS[level]}>
        {value}
      </Text>
    </Stack>
  );
}

function WorkspaceCard({
  workspace,
  current,
  onSwitch,
}: {
  workspace: OrganisationWorkspace;
  current: boolean;
  onSwitch: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { live, today } = workspace;
  const count = (n: number) => formatCount(n, lang);
  const day = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${today.day}T00:00:00Z`));
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-label={workspace.name}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Title order={3} size="h5" style={{ overflowWrap: "anywhere" }}>
              {workspace.name}
            </Title>
            <Text size="xs" c="dimmed">
              {workspace.timezone}
            </Text>
          </Stack>
          {workspace.role ? (
            <Badge variant="light">{t(`organisation.role.${workspace.role}`, { defaultValue: workspace.role })}</Badge>
          ) : (
            <Badge variant="light" color="gray">
              {t("organisation.notMember")}
            </Badge>
          )}
        </Group>
        <Text size="sm" fw={600}>
          {t("organisation.now")}
        </Text>
        <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" verticalSpacing="xs">
          <Figure label={t("organisation.openNow")} value={count(live.open)} />
          <Figure label={t("organisation.queued")} value={count(live.queued)} level={queueLevel(live.queued, live.agents_online)} />
          <Figure
            label={t("organisation.longestWait")}
            value={formatDuration(live.longest_wait_seconds, lang)}
            level={waitLevel(live.longest_wait_seconds)}
          />
          <Figure label={t("organisation.awaitingFirstReply")} value={count(live.awaiting_first_reply)} />
          <Figure label={t("organisation.waiting")} value={count(live.waiting)} />
          <Figure
            label={t("organisation.agents")}
            value={t("organisation.agentStates", {
              online: count(live.agents_online),
              busy: count(live.agents_busy),
              away: count(live.agents_away),
            })}
          />
        </SimpleGrid>
        <Text size="sm" fw={600}>
          {t("organisation.today", { day })}
        </Text>
        <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" verticalSpacing="xs">
          <Figure label={t("organisation.opened")} value={count(today.opened)} />
          <Figure label={t("organisation.closed")} value={count(today.closed)} />
          <Figure
            label={t("organisation.firstResponse")}
            value={formatDuration(today.first_response_median, lang)}
            level={firstResponseLevel(today.first_response_median)}
          />
          <Figure label={t("organisation.serviceLevel")} value={formatShare(today.service_level, lang)} level={serviceLevel(today.service_level)} />
          <Figure
            label={t("organisation.abandonment")}
            value={formatShare(today.abandonment_rate, lang)}
            level={abandonmentLevel(today.abandonment_rate)}
          />
        </SimpleGrid>
        {current ? (
          <Text size="sm" c="dimmed">
            {t("organisation.current")}
          </Text>
        ) : (
          workspace.role && (
            <Button variant="light" onClick={() => onSwitch(workspace.id)}>
              {t("organisation.switch")}
            </Button>
          )
        )}
      </Stack>
    </Paper>
  );
}

export function Organisation({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const overview = useOrganisationOverview();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [switchError, setSwitchError] = useState<unknown>(null);

  const switchTo = async (id: string) => {
    try {
      await unwrap(api.PUT("/api/v1/me/workspace", { body: { workspace_id: id } }));
    } catch (error) {
      setSwitchError(error);
      return;
    }
    queries.clear();
    navigate("/");
    await queries.invalidateQueries();
  };
  const onCreated = (workspace: Created) => {
    setCreating(false);
    setCreated(workspace);
  };
  const data = overview.data;
  const updated = data
    ? new Intl.DateTimeFormat(i18n.language, { timeStyle: "medium" }).format(new Date(data.generated_at))
    : null;
  return (
    <Stack p={{ base: "sm", sm: "lg" }} gap="md" style={{ flex: 1, overflowY: "auto" }}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={0}>
          <Title order={2}>{t("organisation.title")}</Title>
          {data && <Text c="dimmed">{data.organisation.name}</Text>}
        </Stack>
        <Group gap="sm">
          {updated && (
            <Text size="xs" c="dimmed" role="status">
              {t("organisation.updatedAt", { time: updated })}
            </Text>
          )}
          <Button onClick={() => setCreating(true)}>{t("organisation.newWorkspace")}</Button>
        </Group>
      </Group>
      {created && (
        <Alert color="teal" withCloseButton onClose={() => setCreated(null)} title={t("organisation.created", { name: created.name })}>
          <Button size="xs" mt={4} onClick={() => void switchTo(created.id)}>
            {t("organisation.openCreated", { name: created.name })}
          </Button>
        </Alert>
      )}
      {Boolean(switchError) && <Alert color="red">{errorMessage(switchError)}</Alert>}
      {overview.error && <Alert color="red">{errorMessage(overview.error)}</Alert>}
      {!data && !overview.error && <Text c="dimmed">{t("app.loading")}</Text>}
      {data && (
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
          {data.workspaces.map((ws) => (
            <WorkspaceCard key={ws.id} workspace={ws} current={ws.id === me.workspace?.id} onSwitch={(id) => void switchTo(id)} />
          ))}
        </SimpleGrid>
      )}
      <NewWorkspace opened={creating} onClose={() => setCreating(false)} onCreated={onCreated} />
    </Stack>
  );
}
