// Routing settings for owners and managers: the workspace's, each team's, and agents' limits.
import {
  Alert,
  Button,
  Code,
  Fieldset,
  Group,
  NumberInput,
  Radio,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { LANGUAGES } from "../i18n";
import { routingKeys, useTeams, useWorkspaceRouting } from "../routing/hooks";
import { asNumber } from "../routing/format";
import { fromSwitch, isOn } from "./optionalSetting";
import { AgentsPart } from "./RoutingAgents";

type WorkspaceRouting = Schemas["WorkspaceRouting"];
type TeamSettings = Schemas["RoutingSettings"];
type TeamRouting = Schemas["TeamRoutingRead"];
type MessageKey = "assigned" | "queued" | "outside_hours" | "no_agent";

const STRATEGIES = ["round_robin", "least_open", "capacity_share", "manual"] as const;
const OWNER_RULES = ["owner_then_team", "owner_only", "off"] as const;
const MESSAGE_KEYS: MessageKey[] = ["assigned", "queued", "outside_hours", "no_agent"];
const VARIABLES: Record<MessageKey, string[]> = {
  assigned: ["contact_name", "agent_name", "expected_reply", "team_name"],
  queued: ["contact_name", "queue_position", "estimated_wait", "team_name"],
  outside_hours: ["contact_name", "next_opening", "team_name"],
  no_agent: ["contact_name", "team_name"],
};

export function Routing() {
  const workspace = useWorkspaceRouting();
  return (
    <Stack gap="xl" maw={860}>
      {workspace.error && <Alert color="red">{errorMessage(workspace.error)}</Alert>}
      {workspace.data && <WorkspaceForm initial={workspace.data} />}
      <TeamPart />
      <AgentsPart defaultCapacity={workspace.data?.default_capacity ?? null} />
    </Stack>
  );
}

function WorkspaceForm({ initial }: { initial: WorkspaceRouting }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [form, setForm] = useState<WorkspaceRouting>(initial);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/v1/routing/settings", { body: form })),
    onSuccess: (data) => {
      queries.setQueryData(routingKeys.settings, data);
      void queries.invalidateQueries({ queryKey: routingKeys.agents });
      setSaved(true);
    },
  });
  const set = (change: Partial<WorkspaceRouting>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...change }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="sm">
      <Title order={3} size="h4">
        {t("routing.settings.workspace")}
      </Title>
      <NumberInput
        label={t("routing.settings.defaultCapacity")}
        description={t("routing.settings.defaultCapacityHelp")}
        min={1}
        max={100}
        w={320}
        required
        value={form.default_capacity}
        onChange={(v) => set({ default_capacity: asNumber(v) ?? 1 })}
      />
      <TagsInput
        label={t("routing.settings.awayReasons")}
        description={t("routing.settings.awayReasonsHelp")}
        maxTags={20}
        value={form.away_reasons ?? []}
        onChange={(reasons) => set({ away_reasons: reasons })}
      />
      <OptionalNumber
        label={t("routing.settings.inactivity")}
        description={t("routing.settings.inactivityHelp")}
        value={form.inactivity_minutes}
        fallback={60}
        max={24 * 60}
        onChange={(v) => set({ inactivity_minutes: v })}
      />
      <NumberInput
        label={t("routing.settings.grace")}
        description={t("routing.settings.graceHelp")}
        min={10}
        max={3600}
        w={320}
        required
        value={form.disconnect_grace_seconds}
        onChange={(v) => set({ disconnect_grace_seconds: asNumber(v) ?? 120 })}
      />
      <SaveRow error={save.error} pending={save.isPending} saved={saved} label={t("routing.settings.saveWorkspace")} />
    </Stack>
  );
}

/** A number of minutes (or seconds) that can be switched off, which the API stores as null. */
function OptionalNumber(props: {
  label: string;
  description?: string;
  value: number | null | undefined;
  fallback: number;
  max: number;
  onChange: (value: number | null) => void;
}) {
  const { t } = useTranslation();
  const off = props.value === null || props.value === undefined;
  const [last, setLast] = useState(props.value ?? props.fallback);
  return (
    <Group align="flex-end" wrap="nowrap" gap="md">
      <NumberInput
        label={props.label}
        description={props.description}
        min={1}
        max={props.max}
        w={320}
        disabled={off}
        placeholder={t("routing.settings.off")}
        value={off ? "" : (props.value ?? "")}
        onChange={(v) => {
          const n = asNumber(v);
          if (n !== null) setLast(n);
          props.onChange(n);
        }}
      />
      <Switch
        mb={8}
        label={off ? t("admin.switch.off") : t("admin.switch.on")}
        aria-label={props.label}
        checked={isOn(props.value)}
        onChange={(e) => props.onChange(fromSwitch(e.currentTarget.checked, last))}
      />
    </Group>
  );
}

function TeamPart() {
  const { t } = useTranslation();
  const teams = useTeams();
  const [chosen, setChosen] = useState<string | null>(null);
  const teamId = chosen ?? teams.data?.[0]?.id ?? null;
  const routing = useQuery({
    queryKey: routingKeys.team(teamId ?? ""),
    queryFn: () => unwrap(api.GET("/api/v1/teams/{team_id}/routing", { params: { path: { team_id: teamId ?? "" } } })),
    enabled: Boolean(teamId),
  });
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t("routing.settings.teamRouting")}
      </Title>
      {teams.data && teams.data.length === 0 && <Text c="dimmed">{t("routing.settings.noTeams")}</Text>}
      {teams.data && teams.data.length > 0 && (
        <Select
          label={t("routing.settings.team")}
          w={320}
          data={teams.data.map((team) => ({ value: team.id, label: team.name }))}
          value={teamId}
          onChange={(id) => id && setChosen(id)}
          allowDeselect={false}
        />
      )}
      {routing.error && <Alert color="red">{errorMessage(routing.error)}</Alert>}
      {teamId && routing.data && routing.data.team_id === teamId && <TeamForm key={teamId} initial={routing.data} />}
    </Stack>
  );
}

function TeamForm({ initial }: { initial: TeamRouting }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [form, setForm] = useState<TeamSettings>(initial.settings);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.PUT("/api/v1/teams/{team_id}/routing", { params: { path: { team_id: initial.team_id } }, body: form })),
    onSuccess: (data) => {
      queries.setQueryData(routingKeys.team(initial.team_id), data);
      setSaved(true);
    },
  });
  const set = (change: Partial<TeamSettings>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...change }));
  };
  const message = (key: MessageKey) => form.messages?.[key] ?? { enabled: true, templates: {} };
  const setMessage = (key: MessageKey, change: Partial<Schemas["AutomaticMessage"]>) =>
    set({ messages: { ...form.messages, [key]: { ...message(key), ...change } } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="md">
      <Radio.Group
        label={t("routing.settings.strategy")}
        value={form.strategy}
        onChange={(s) => set({ strategy: s as TeamSettings["strategy"] })}
      >
        <Stack gap="xs" mt="xs">
          {STRATEGIES.map((s) => (
            <Radio key={s} value={s} label={t(`routing.strategies.${s}.name`)} description={t(`routing.strategies.${s}.help`)} />
          ))}
        </Stack>
      </Radio.Group>
      <Switch
        label={t("routing.settings.onlineOnly")}
        description={t("routing.settings.onlineOnlyHelp")}
        checked={form.online_only}
        onChange={(e) => set({ online_only: e.currentTarget.checked })}
      />
      <Switch
        label={t("routing.settings.respectCapacity")}
        description={t("routing.settings.respectCapacityHelp")}
        checked={form.respect_capacity}
        onChange={(e) => set({ respect_capacity: e.currentTarget.checked })}
      />
      <Switch
        label={t("languages.routing.byLanguage")}
        description={t("languages.routing.byLanguageHelp")}
        checked={form.route_by_language ?? false}
        onChange={(e) => set({ route_by_language: e.currentTarget.checked })}
      />
      <Select
        label={t("routing.settings.ownerRule")}
        w={420}
        data={OWNER_RULES.map((r) => ({ value: r, label: t(`routing.ownerRules.${r}`) }))}
        value={form.owner_rule}
        onChange={(r) => r && set({ owner_rule: r as TeamSettings["owner_rule"] })}
        allowDeselect={false}
      />
      <OptionalNumber
        label={t("routing.settings.returning")}
        value={form.returning_minutes}
        fallback={24 * 60}
        max={60 * 24 * 90}
        onChange={(v) => set({ returning_minutes: v })}
      />
      <OptionalNumber
        label={t("routing.settings.offlineMinutes")}
        value={form.offline_minutes}
        fallback={5}
        max={24 * 60}
        onChange={(v) => set({ offline_minutes: v })}
      />
      <OptionalNumber
        label={t("routing.settings.replyTimeout")}
        value={form.reply_timeout_minutes}
        fallback={15}
        max={24 * 60}
        onChange={(v) => set({ reply_timeout_minutes: v })}
      />
      <NumberInput
        label={t("routing.settings.expectedReply")}
        description={t("routing.settings.expectedReplyHelp")}
        min={1}
        max={24 * 60}
        w={320}
        required
        value={form.expected_reply_minutes}
        onChange={(v) => set({ expected_reply_minutes: asNumber(v) ?? 5 })}
      />
      <Title order={4} size="h5" mt="sm">
        {t("routing.settings.messages")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("routing.settings.messagesHelp")}
      </Text>
      {MESSAGE_KEYS.map((key) => {
        const name = t(`routing.messageKeys.${key}.name`);
        const current = message(key);
        return (
          <Fieldset key={key} legend={name}>
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {t(`routing.messageKeys.${key}.help`)}
              </Text>
              <Switch
                label={t("routing.settings.enabled", { name })}
                checked={current.enabled}
                onChange={(e) => setMessage(key, { enabled: e.currentTarget.checked })}
              />
              {LANGUAGES.map((language) => (
                <Textarea
                  key={language.code}
                  label={language.label}
                  aria-label={t("routing.settings.textIn", { name, language: language.label })}
                  autosize
                  minRows={2}
                  maxLength={1000}
                  disabled={!current.enabled}
                  placeholder={initial.default_messages[key]?.[language.code] ?? ""}
                  value={current.templates?.[language.code] ?? ""}
                  onChange={(e) => {
                    const text = e.currentTarget.value;
                    setMessage(key, { templates: { ...current.templates, [language.code]: text } });
                  }}
                />
              ))}
              <Group gap={6}>
                <Text size="xs" c="dimmed">
                  {t("routing.settings.variables")}
                </Text>
                {VARIABLES[key].map((v) => (
                  <Text key={v} size="xs" span>
                    <Code>{`{{${v}}}`}</Code> {t(`routing.variables.${v}`)}
                  </Text>
                ))}
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <SaveRow error={save.error} pending={save.isPending} saved={saved} label={t("routing.settings.saveTeam")} />
    </Stack>
  );
}

/** The submit button of a settings form, its error and its "saved" confirmation. */
function SaveRow({ error, pending, saved, label }: { error: Error | null; pending: boolean; saved: boolean; label: string }) {
  const { t } = useTranslation();
  return (
    <>
      {error && <Alert color="red">{errorMessage(error)}</Alert>}
      <Group>
        <Button type="submit" loading={pending}>
          {label}
        </Button>
        {saved && (
          <Text size="sm" c="teal" role="status">
            {t("routing.settings.saved")}
          </Text>
        )}
      </Group>
    </>
  );
}
