// Channels: an overview table, one connection form at a time, and each channel's own card.
import { Alert, Anchor, Badge, Button, Checkbox, Code, CopyButton, Group, Modal, Select, Stack, Switch, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Schemas, api, unwrap } from "../api/client";
import { adminProblem } from "./adminErrors";
import { ApiChannel, ApiChannelDetails } from "./ApiChannel";
import { Confirm } from "./Confirm";
import { EmailChannel, EmailDetails } from "./EmailChannel";
import { MetaMessagingChannel, MetaMessagingDetails } from "./MetaMessagingChannel";
import { TelegramChannel } from "./TelegramChannel";
import { TwilioChannel, TwilioDetails } from "./TwilioChannel";
import { WhatsAppChannel, WhatsAppDetails } from "./WhatsAppChannel";

type Channel = Schemas["ChannelRead"];
const CONNECTABLE = ["webchat", "whatsapp", "telegram", "email", "messenger", "instagram", "api", "sms"] as const;
type Connectable = (typeof CONNECTABLE)[number];

function useChannels() {
  return useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")) });
}

function useTeamOptions() {
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  return teams.data ?? [];
}

export function Channels() {
  const { t, i18n } = useTranslation();
  const channels = useChannels();
  const teams = useTeamOptions();
  const [connecting, setConnecting] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const teamName = new Map(teams.map((team) => [team.id, team.name]));
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const items = channels.data ?? [];
  const open = items.find((c) => c.id === openId) ?? null;
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={560}>
          {t("admin.channels.intro")}
        </Text>
        <Button onClick={() => setConnecting(true)}>{t("admin.channels.connect")}</Button>
      </Group>
      {channels.error && <Alert color="red">{adminProblem(t, channels.error, "channel")}</Alert>}
      {channels.isSuccess && items.length === 0 && <Text c="dimmed">{t("admin.channels.empty")}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={620}>
          <Table striped highlightOnHover aria-label={t("settings.channels")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("admin.channels.name")}</Table.Th>
                <Table.Th>{t("admin.channels.type")}</Table.Th>
                <Table.Th>{t("admin.channels.team")}</Table.Th>
                <Table.Th>{t("admin.channels.status")}</Table.Th>
                <Table.Th>{t("admin.channels.lastActivity")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component="button" type="button" fw={600} size="sm" onClick={() => setOpenId(c.id)}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`routing.channels.${c.type}`, { defaultValue: c.type })}</Table.Td>
                  <Table.Td>{c.team_id ? (teamName.get(c.team_id) ?? "—") : t("admin.channels.noTeam")}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={c.is_active ? "teal" : "gray"}>
                      {c.is_active ? t("admin.channels.enabled") : t("admin.channels.disabled")}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{c.last_activity_at ? when.format(new Date(c.last_activity_at)) : t("admin.channels.never")}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {connecting && <ConnectChannel onDone={() => setConnecting(false)} />}
      {open && (
        <Modal opened onClose={() => setOpenId(null)} size="lg" title={open.name} closeButtonProps={{ "aria-label": t("a11y.close") }}>
          <ChannelCard channel={open} onDeleted={() => setOpenId(null)} />
        </Modal>
      )}
    </Stack>
  );
}

/** One connection form at a time: choose the kind of channel, then fill in its form. */
function ConnectChannel({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Connectable | null>(null);
  const [connected, setConnected] = useState<Channel | null>(null);
  const channels = useChannels();
  // The card of the channel just connected, kept fresh by the list.
  const fresh = connected ? (channels.data ?? []).find((c) => c.id === connected.id) ?? connected : null;
  return (
    <Modal opened onClose={onDone} size="lg" title={t("admin.channels.connect")} closeButtonProps={{ "aria-label": t("a11y.close") }}>
      {!kind && (
        <Stack gap="xs">
          <Text size="sm">{t("admin.channels.choose")}</Text>
          <Group gap="xs" wrap="wrap">
            {CONNECTABLE.map((k) => (
              <Button key={k} variant="light" onClick={() => setKind(k)}>
                {t(`routing.channels.${k}`)}
              </Button>
            ))}
          </Group>
        </Stack>
      )}
      {kind && (
        <Stack gap="sm">
          <Anchor component="button" type="button" size="sm" onClick={() => (setKind(null), setConnected(null))} w="fit-content">
            ← {t("admin.channels.otherKind")}
          </Anchor>
          {kind === "webchat" && <NewWebchat onConnected={setConnected} />}
          {kind === "whatsapp" && <WhatsAppChannel onConnected={setConnected} />}
          {kind === "telegram" && <TelegramChannel onConnected={setConnected} />}
          {kind === "email" && <EmailChannel onConnected={setConnected} />}
          {kind === "sms" && <TwilioChannel onConnected={setConnected} />}
          {kind === "api" && <ApiChannel onConnected={setConnected} />}
          {(kind === "messenger" || kind === "instagram") && <MetaMessagingChannel kind={kind} onConnected={setConnected} />}
          {fresh && <ChannelCard channel={fresh} />}
        </Stack>
      )}
    </Modal>
  );
}

function NewWebchat({ onConnected }: { onConnected: (channel: Channel) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useTeamOptions();
  const [name, setName] = useState("");
  const [teamId, setTeamId] = useState<string | null>(null);
  const [askName, setAskName] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/channels", {
          body: { type: "webchat", name, team_id: teamId, is_active: true, settings: { pre_chat_enabled: askName } },
        }),
      ),
    onSuccess: (channel) => {
      setName("");
      onConnected(channel);
      void queries.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" aria-label={t("admin.channels.webchatForm")}>
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t("settings.newChat")} required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select
          label={t("admin.channels.team")}
          placeholder={t("admin.channels.noTeam")}
          clearable
          data={teams.map((team) => ({ value: team.id, label: team.name }))}
          value={teamId}
          onChange={setTeamId}
        />
        <Button type="submit" loading={create.isPending}>
          {t("settings.addChat")}
        </Button>
      </Group>
      <Checkbox
        label={t("admin.channels.askName")}
        description={t("admin.channels.askNameHelp")}
        checked={askName}
        onChange={(e) => setAskName(e.currentTarget.checked)}
      />
      {create.error && <Alert color="red">{adminProblem(t, create.error, "channel")}</Alert>}
    </Stack>
  );
}

/** A channel's own card: its name, team and status, what its provider needs, and deleting it. */
function ChannelCard({ channel, onDeleted }: { channel: Channel; onDeleted?: () => void }) {
  const { t } = useTranslation();
  const [deleting, setDeleting] = useState(false);
  return (
    <Stack component="section" aria-label={channel.name} gap="sm" p="sm" style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 }}>
      <ChannelSettings channel={channel} />
      {channel.type === "whatsapp" && channel.settings.provider !== "twilio" && <WhatsAppDetails channelId={channel.id} />}
      {(channel.type === "sms" || channel.settings.provider === "twilio") && <TwilioDetails channelId={channel.id} />}
      {(channel.type === "messenger" || channel.type === "instagram") && <MetaMessagingDetails kind={channel.type} channelId={channel.id} />}
      {channel.type === "webchat" && <WebchatSnippet channelId={channel.id} />}
      {channel.type === "api" && <ApiChannelDetails channelId={channel.id} />}
      {channel.type === "email" && <EmailDetails channel={channel} />}
      {onDeleted && (
        <Button size="xs" color="red" variant="subtle" w="fit-content" onClick={() => setDeleting(true)}>
          {t("admin.channels.delete")}
        </Button>
      )}
      {deleting && onDeleted && <DeleteChannel channel={channel} onCancel={() => setDeleting(false)} onDeleted={onDeleted} />}
    </Stack>
  );
}

function ChannelSettings({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useTeamOptions();
  const [name, setName] = useState(channel.name);
  // The switch moves at once; a refusal puts it back, and a change from elsewhere shows.
  const [active, setActive] = useState(channel.is_active);
  useEffect(() => setActive(channel.is_active), [channel.is_active]);
  const update = useMutation({
    mutationFn: (body: Schemas["ChannelUpdate"]) =>
      unwrap(api.PATCH("/api/v1/channels/{channel_id}", { params: { path: { channel_id: channel.id } }, body })),
    onError: () => setActive(channel.is_active),
    onSuccess: (read) => {
      // The list shows the change at once; the read carries no activity time, so keep it.
      queries.setQueryData<Channel[]>(["channels"], (list) =>
        list?.map((c) => (c.id === read.id ? { ...read, last_activity_at: c.last_activity_at } : c)),
      );
    },
  });
  const pending = update.isPending ? update.variables : undefined;
  const rename = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ name: name.trim() });
  };
  return (
    <Stack gap="xs">
      <Group component="form" onSubmit={rename} align="flex-end" wrap="wrap" aria-label={t("admin.channels.renameForm")}>
        <TextInput label={t("admin.channels.name")} required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button type="submit" variant="light" disabled={!name.trim() || name.trim() === channel.name} loading={update.isPending && update.variables?.name !== undefined}>
          {t("admin.channels.rename")}
        </Button>
      </Group>
      <Select
        label={t("admin.channels.team")}
        description={t("admin.channels.teamHelp")}
        placeholder={t("admin.channels.noTeam")}
        clearable
        maw={320}
        data={teams.map((team) => ({ value: team.id, label: team.name }))}
        value={pending && "team_id" in pending ? (pending.team_id ?? null) : channel.team_id}
        onChange={(teamId) => update.mutate({ team_id: teamId })}
      />
      <Switch
        label={t("admin.channels.active")}
        description={channel.is_active ? t("admin.channels.activeHelp") : t("admin.channels.inactiveHelp")}
        checked={active}
        onChange={(e) => {
          setActive(e.currentTarget.checked);
          update.mutate({ is_active: e.currentTarget.checked });
        }}
      />
      {update.error && <Alert color="red">{adminProblem(t, update.error, "channel")}</Alert>}
      {update.isSuccess && (
        <Text size="sm" c="teal" role="status">
          {t("admin.saved")}
        </Text>
      )}
    </Stack>
  );
}

function WebchatSnippet({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const snippet = `<script src="${location.origin}/widget.js" data-channel="${channelId}" async></script>`;
  return (
    <Stack gap={4}>
      <Text size="sm">{t("settings.embed")}</Text>
      <Code block>{snippet}</Code>
      <CopyButton value={snippet}>
        {({ copied, copy }) => (
          <Button size="xs" variant="light" onClick={copy} w="fit-content">
            {copied ? t("settings.copied") : t("settings.copy")}
          </Button>
        )}
      </CopyButton>
    </Stack>
  );
}

function DeleteChannel({ channel, onCancel, onDeleted }: { channel: Channel; onCancel: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/channels/{channel_id}", { params: { path: { channel_id: channel.id } } })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["channels"] });
      onDeleted();
    },
  });
  const inUse = remove.error instanceof ApiError && remove.error.status === 409;
  return (
    <Confirm
      title={t("admin.channels.deleteTitle", { name: channel.name })}
      confirm={t("admin.delete")}
      pending={remove.isPending}
      error={inUse ? t("admin.channels.inUse") : remove.error ? adminProblem(t, remove.error, "channel") : null}
      onConfirm={() => remove.mutate()}
      onCancel={onCancel}
    >
      {t("admin.channels.deleteExplained")}
    </Confirm>
  );
}
