// Settings → Team chat: Slack-compatible incoming webhooks told of escalations (SLA breaches,
// raised hands, a team mentioned in a note), for every team or one; the URL is kept secret.
import { Alert, Button, Checkbox, Group, Select, Stack, Switch, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { Confirm } from "./Confirm";

type Hook = Schemas["TeamChatHookRead"];
type Escalation = Hook["escalations"][number];
const ESCALATIONS: Escalation[] = ["sla_breached", "help_raised", "team_mentioned"];
export const TEAM_CHAT_KEY = ["team-chat-hooks"];

function problem(t: (k: string, o?: Record<string, unknown>) => string, error: unknown): string {
  if (error instanceof ApiError && error.status === 403) return t("admin.errors.forbidden");
  if (error instanceof ApiError && error.field === "url") return t("webhooks.errors.url", { message: error.message });
  return errorMessage(error);
}

export function TeamChat() {
  const { t, i18n } = useTranslation();
  const hooks = useQuery({ queryKey: TEAM_CHAT_KEY, queryFn: () => unwrap(api.GET("/api/v1/team-chat-hooks")) });
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const teamName = (id: string | null) => (id ? (teams.data?.find((x) => x.id === id)?.name ?? "—") : t("webhooks.teamChat.everyTeam"));
  const when = (at: string) => new Date(at).toLocaleString(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={720}>
        {t("webhooks.teamChat.explained")}
      </Text>
      <HookForm teams={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} />
      <Table.ScrollContainer minWidth={560}>
        <Table striped aria-label={t("webhooks.teamChat.list")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("webhooks.teamChat.name")}</Table.Th>
              <Table.Th>{t("webhooks.teamChat.team")}</Table.Th>
              <Table.Th>{t("webhooks.teamChat.escalations")}</Table.Th>
              <Table.Th>{t("webhooks.teamChat.last")}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(hooks.data ?? []).map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td>
                  <Text size="sm">{h.name}</Text>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                    {h.url_hint}
                  </Text>
                </Table.Td>
                <Table.Td>{teamName(h.team_id)}</Table.Td>
                <Table.Td>{h.escalations.map((e) => t(`webhooks.teamChat.escalation.${e}`)).join(", ")}</Table.Td>
                <Table.Td>
                  {h.last_error ? (
                    <Text size="xs" c="red">
                      {t("webhooks.teamChat.failed", { error: h.last_error })}
                    </Text>
                  ) : h.last_posted_at ? (
                    when(h.last_posted_at)
                  ) : (
                    t("webhooks.teamChat.never")
                  )}
                </Table.Td>
                <Table.Td>
                  <HookActions hook={h} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function HookForm({ teams }: { teams: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [team, setTeam] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[]>(["sla_breached", "help_raised"]);
  const create = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/team-chat-hooks", { body: { name, url, team_id: team, escalations: chosen as Escalation[] } })),
    onSuccess: () => {
      setName("");
      setUrl("");
      void queries.invalidateQueries({ queryKey: TEAM_CHAT_KEY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" maw={720} aria-label={t("webhooks.teamChat.new")}>
      <Text fw={500}>{t("webhooks.teamChat.new")}</Text>
      <TextInput label={t("webhooks.teamChat.name")} required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} placeholder="#support" />
      <TextInput label={t("webhooks.teamChat.url")} type="url" required value={url} onChange={(e) => setUrl(e.currentTarget.value)} placeholder="https://" />
      <Select label={t("webhooks.teamChat.team")} placeholder={t("webhooks.teamChat.everyTeam")} clearable data={teams} value={team} onChange={setTeam} />
      <Checkbox.Group label={t("webhooks.teamChat.escalations")} value={chosen} onChange={setChosen}>
        <Stack gap={4} mt={4}>
          {ESCALATIONS.map((e) => (
            <Checkbox key={e} value={e} label={t(`webhooks.teamChat.escalation.${e}`)} />
          ))}
        </Stack>
      </Checkbox.Group>
      {create.error && <Alert color="red">{problem(t, create.error)}</Alert>}
      <Group>
        <Button type="submit" loading={create.isPending} disabled={chosen.length === 0}>
          {t("webhooks.teamChat.add")}
        </Button>
      </Group>
    </Stack>
  );
}

function HookActions({ hook }: { hook: Hook }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [asking, setAsking] = useState(false);
  const path = { team_chat_hook_id: hook.id };
  const refresh = () => void queries.invalidateQueries({ queryKey: TEAM_CHAT_KEY });
  const toggle = useMutation({
    mutationFn: (on: boolean) => unwrap(api.PATCH("/api/v1/team-chat-hooks/{team_chat_hook_id}", { params: { path }, body: { is_enabled: on } })),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/team-chat-hooks/{team_chat_hook_id}/test", { params: { path } })),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/team-chat-hooks/{team_chat_hook_id}", { params: { path } })),
    onSuccess: () => {
      setAsking(false);
      refresh();
    },
  });
  return (
    <Group gap="xs" wrap="nowrap">
      <Switch checked={hook.is_enabled} onChange={(e) => toggle.mutate(e.currentTarget.checked)} aria-label={t("webhooks.teamChat.turnOn", { name: hook.name })} />
      <Button size="xs" variant="subtle" onClick={() => test.mutate()} loading={test.isPending} disabled={!hook.is_enabled}>
        {test.isSuccess ? t("webhooks.teamChat.tested") : t("webhooks.teamChat.test")}
      </Button>
      <Button size="xs" variant="subtle" color="red" onClick={() => setAsking(true)}>
        {t("webhooks.teamChat.remove")}
      </Button>
      {asking && (
        <Confirm
          title={t("webhooks.teamChat.removeTitle")}
          confirm={t("webhooks.teamChat.remove")}
          color="red"
          onConfirm={() => remove.mutate()}
          onCancel={() => setAsking(false)}
          pending={remove.isPending}
          error={remove.error ? problem(t, remove.error) : null}
        >
          {t("webhooks.teamChat.removeBody", { name: hook.name })}
        </Confirm>
      )}
    </Group>
  );
}
