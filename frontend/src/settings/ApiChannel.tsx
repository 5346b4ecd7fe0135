// The API channel: creating one (its inbound token and signing secret are shown once), and on
// its card the inbound URL, the callback URL, rotating either credential, and the delivery log
// of callbacks to the integrator with their attempts and a "retry now".
import { Alert, Badge, Button, Checkbox, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { Copyable } from "./Copyable";

type Credentials = Schemas["ApiChannelCredentials"];
type Callback = Schemas["ApiCallbackRead"];

const STATUS_COLOR: Record<string, string> = { delivered: "teal", retrying: "orange", pending: "blue", failed: "red" };
// The log is refreshed while it is open: retries happen in the background.
const LOG_REFRESH_MS = 10_000;

/** The credentials just made: shown here once, never again. */
function ShownOnce({ credentials }: { credentials: Credentials }) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={t("apiChannel.shownOnce")}>
      <Stack gap="xs">
        <Text size="sm">{t("apiChannel.shownOnceHelp")}</Text>
        {credentials.inbound_token && <Copyable label={t("apiChannel.inboundToken")} value={credentials.inbound_token} />}
        {credentials.signing_secret && <Copyable label={t("apiChannel.signingSecret")} value={credentials.signing_secret} />}
      </Stack>
    </Alert>
  );
}

export function ApiChannel({ onConnected }: { onConnected?: (channel: Schemas["ChannelRead"]) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const [name, setName] = useState("");
  const [callbackUrl, setCallbackUrl] = useState("");
  const [teamId, setTeamId] = useState<string | null>(null);
  const [events, setEvents] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/channels/api", {
          body: { name, callback_url: callbackUrl.trim(), team_id: teamId, conversation_events: events },
        }),
      ),
    onSuccess: (created) => {
      onConnected?.(created.channel);
      setName("");
      setCallbackUrl("");
      setTeamId(null);
      void queries.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack gap="xs" p="sm" style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 }}>
      <Title order={3} size="h5">
        {t("apiChannel.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("apiChannel.intro")}
      </Text>
      <form onSubmit={submit} aria-label={t("apiChannel.title")}>
        <Stack gap="xs">
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t("apiChannel.name")} required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label={t("apiChannel.team")}
              placeholder={t("apiChannel.noTeam")}
              clearable
              data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeamId}
            />
          </Group>
          <TextInput
            label={t("apiChannel.callbackUrl")}
            description={t("apiChannel.callbackHelp")}
            required
            type="url"
            placeholder="https://example.com/frontdesk/callbacks"
            value={callbackUrl}
            onChange={(e) => setCallbackUrl(e.currentTarget.value)}
          />
          <Checkbox
            label={t("apiChannel.events")}
            description={t("apiChannel.eventsHelp")}
            checked={events}
            onChange={(e) => setEvents(e.currentTarget.checked)}
          />
          <Button type="submit" loading={create.isPending} w="fit-content">
            {t("apiChannel.create")}
          </Button>
        </Stack>
      </form>
      {create.error && (
        <Alert color="red" title={t("apiChannel.failed")}>
          {errorMessage(create.error)}
        </Alert>
      )}
      {create.data && (
        <Stack gap="xs">
          <Copyable label={t("apiChannel.inboundUrl")} value={create.data.inbound_url} />
          <ShownOnce credentials={create.data} />
        </Stack>
      )}
    </Stack>
  );
}

/** On the channel's card: where to post, where replies go, rotating credentials, the log. */
export function ApiChannelDetails({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const path = { params: { path: { channel_id: channelId } } };
  const info = useQuery({
    queryKey: ["api-channel", channelId],
    queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/api", path)),
  });
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState("");
  const save = useMutation({
    mutationFn: (change: { url: string; events?: boolean }) =>
      unwrap(
        api.PUT("/api/v1/channels/{channel_id}/api/callback", {
          ...path,
          body: { callback_url: change.url.trim(), conversation_events: change.events ?? null },
        }),
      ),
    onSuccess: (fresh) => {
      queries.setQueryData(["api-channel", channelId], fresh);
      void queries.invalidateQueries({ queryKey: ["channels"] });
      setEditing(false);
    },
  });
  const rotate = useMutation({
    mutationFn: (credential: "inbound_token" | "signing_secret") =>
      unwrap(api.POST("/api/v1/channels/{channel_id}/api/rotate", { ...path, body: { credential } })),
  });
  if (info.error) return <Alert color="red">{errorMessage(info.error)}</Alert>;
  const data = info.data;
  if (!data) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ url });
  };
  return (
    <Stack gap="xs">
      <Text size="sm">{t("apiChannel.post")}</Text>
      <Copyable label={t("apiChannel.inboundUrl")} value={data.inbound_url} />
      {!editing && <Copyable label={t("apiChannel.callbackUrl")} value={data.callback_url ?? "—"} />}
      {editing && (
        <Group component="form" onSubmit={submit} align="flex-end" wrap="wrap" aria-label={t("apiChannel.callbackUrl")}>
          <TextInput
            label={t("apiChannel.callbackUrl")}
            required
            type="url"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            style={{ flex: "1 1 16rem" }}
          />
          <Button type="submit" size="xs" loading={save.isPending}>
            {t("apiChannel.save")}
          </Button>
        </Group>
      )}
      <Checkbox
        label={t("apiChannel.events")}
        description={t("apiChannel.eventsHelp")}
        checked={data.conversation_events}
        disabled={!data.callback_url || save.isPending}
        onChange={(e) => save.mutate({ url: data.callback_url ?? "", events: e.currentTarget.checked })}
      />
      {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
      <Group gap="xs" wrap="wrap">
        <Button size="xs" variant="subtle" onClick={() => (setUrl(data.callback_url ?? ""), setEditing(!editing))}>
          {editing ? t("apiChannel.cancel") : t("apiChannel.changeCallback")}
        </Button>
        <Button size="xs" variant="light" loading={rotate.isPending && rotate.variables === "inbound_token"} onClick={() => rotate.mutate("inbound_token")}>
          {t("apiChannel.rotateToken")}
        </Button>
        <Button size="xs" variant="light" loading={rotate.isPending && rotate.variables === "signing_secret"} onClick={() => rotate.mutate("signing_secret")}>
          {t("apiChannel.rotateSecret")}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t("apiChannel.rotateHelp")}
      </Text>
      {rotate.error && <Alert color="red">{errorMessage(rotate.error)}</Alert>}
      {rotate.data && <ShownOnce credentials={rotate.data} />}
      <DeliveryLog channelId={channelId} />
    </Stack>
  );
}

function DeliveryLog({ channelId }: { channelId: string }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const path = { params: { path: { channel_id: channelId } } };
  const log = useQuery({
    queryKey: ["api-deliveries", channelId],
    queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/api/deliveries", path)),
    refetchInterval: LOG_REFRESH_MS,
  });
  const retry = useMutation({
    mutationFn: (callbackId: string) =>
      unwrap(
        api.POST("/api/v1/channels/{channel_id}/api/deliveries/{callback_id}/retry", {
          params: { path: { channel_id: channelId, callback_id: callbackId } },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ["api-deliveries", channelId] }),
  });
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "medium" });
  const items: Callback[] = log.data ?? [];
  return (
    <Stack gap={4} component="section" aria-label={t("apiChannel.log")}>
      <Title order={4} size="h6">
        {t("apiChannel.log")}
      </Title>
      {log.error && <Alert color="red">{errorMessage(log.error)}</Alert>}
      {retry.error && <Alert color="red">{errorMessage(retry.error)}</Alert>}
      {log.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("apiChannel.logEmpty")}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={520}>
          <Table striped fz="xs" aria-label={t("apiChannel.log")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("apiChannel.created")}</Table.Th>
                <Table.Th>{t("apiChannel.status")}</Table.Th>
                <Table.Th>{t("apiChannel.attempts")}</Table.Th>
                <Table.Th>{t("apiChannel.lastAnswer")}</Table.Th>
                <Table.Th>{t("apiChannel.nextRetry")}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{when.format(new Date(item.created_at))}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={STATUS_COLOR[item.status] ?? "gray"}>
                      {t(`apiChannel.statuses.${item.status}`, { defaultValue: item.status })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {item.attempts} / {item.max_attempts}
                  </Table.Td>
                  <Table.Td title={item.last_error ?? undefined}>
                    {item.last_status_code ?? (item.last_error ? t("apiChannel.noAnswer") : "—")}
                  </Table.Td>
                  <Table.Td>{item.next_attempt_at ? when.format(new Date(item.next_attempt_at)) : "—"}</Table.Td>
                  <Table.Td>
                    {item.status !== "delivered" && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        loading={retry.isPending && retry.variables === item.id}
                        onClick={() => retry.mutate(item.id)}
                      >
                        {t("apiChannel.retryNow")}
                      </Button>
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
