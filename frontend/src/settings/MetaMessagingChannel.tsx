// Connecting a Facebook Page (Messenger) or an Instagram professional account, and for each
// one what to paste in Meta's console, a connection test and replacing its credentials.
// Credentials are write-only: the server keeps them encrypted and never sends them back.
import { Alert, Button, Group, PasswordInput, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { Copyable } from "./Copyable";
import { MetaAppWebhook } from "./MetaAppWebhook";
import { useReplaceCredentials } from "./useReplaceCredentials";

export type MetaKind = "messenger" | "instagram";

const card = { border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 };
const idSetting = { messenger: "page_id", instagram: "account_id" } as const;

export function MetaMessagingChannel({ kind, onConnected }: { kind: MetaKind; onConnected?: (channel: Schemas["ChannelRead"]) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const [name, setName] = useState("");
  const [teamId, setTeamId] = useState<string | null>(null);
  const [accountId, setAccountId] = useState("");
  const [token, setToken] = useState("");
  const [appSecret, setAppSecret] = useState("");
  const connect = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/channels", {
          body: {
            type: kind,
            name,
            team_id: teamId,
            is_active: true,
            settings: { [idSetting[kind]]: accountId.trim() },
            secrets: { access_token: token.trim(), app_secret: appSecret.trim() },
          },
        }),
      ),
    onSuccess: (channel) => {
      onConnected?.(channel);
      setName("");
      setAccountId("");
      setToken("");
      setAppSecret("");
      void queries.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    connect.mutate();
  };
  const title = t(`metaChannels.${kind}.title`);
  return (
    <Stack gap="xs" p="sm" style={card}>
      <Title order={3} size="h5">
        {title}
      </Title>
      <Text size="sm" c="dimmed">
        {t(`metaChannels.${kind}.intro`)}
      </Text>
      <form onSubmit={submit} aria-label={title}>
        <Stack gap="xs">
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t("metaChannels.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label={t("metaChannels.team")}
              placeholder={t("metaChannels.noTeam")}
              clearable
              data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeamId}
            />
            <TextInput
              label={t(`metaChannels.${kind}.accountId`)}
              description={t(`metaChannels.${kind}.accountIdHelp`)}
              required
              value={accountId}
              onChange={(e) => setAccountId(e.currentTarget.value)}
            />
          </Group>
          <Secrets kind={kind} token={token} appSecret={appSecret} onToken={setToken} onAppSecret={setAppSecret} />
          <Button type="submit" loading={connect.isPending} w="fit-content">
            {t(`metaChannels.${kind}.connect`)}
          </Button>
        </Stack>
      </form>
      {connect.error && (
        <Alert color="red" title={t("metaChannels.failed")}>
          {errorMessage(connect.error)}
        </Alert>
      )}
      {connect.data && (
        <Alert color="green" title={t("metaChannels.connected")}>
          {t("metaChannels.nextStep", { name: connect.data.name })}
        </Alert>
      )}
    </Stack>
  );
}

function Secrets(props: { kind: MetaKind; token: string; appSecret: string; onToken: (v: string) => void; onAppSecret: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <Group align="flex-end" wrap="wrap" grow>
      <PasswordInput
        label={t("metaChannels.accessToken")}
        description={t(`metaChannels.${props.kind}.accessTokenHelp`)}
        required
        autoComplete="off"
        value={props.token}
        onChange={(e) => props.onToken(e.currentTarget.value)}
      />
      <PasswordInput
        label={t("metaChannels.appSecret")}
        description={t("metaChannels.appSecretHelp")}
        required
        autoComplete="off"
        value={props.appSecret}
        onChange={(e) => props.onAppSecret(e.currentTarget.value)}
      />
    </Group>
  );
}

function useSetup(kind: MetaKind, channelId: string) {
  const path = { params: { path: { channel_id: channelId } } };
  const setup = useQuery({
    queryKey: [`${kind}-setup`, channelId],
    queryFn: () =>
      kind === "messenger"
        ? unwrap(api.GET("/api/v1/channels/{channel_id}/messenger", path))
        : unwrap(api.GET("/api/v1/channels/{channel_id}/instagram", path)),
  });
  const check = useMutation({
    mutationFn: () =>
      kind === "messenger"
        ? unwrap(api.POST("/api/v1/channels/{channel_id}/messenger/test", path))
        : unwrap(api.POST("/api/v1/channels/{channel_id}/instagram/test", path)),
  });
  return { setup, check };
}

// The set-up of one connected Page or account, shown under it in the channel list.
export function MetaMessagingDetails({ kind, channelId }: { kind: MetaKind; channelId: string }) {
  const { t } = useTranslation();
  const { setup, check } = useSetup(kind, channelId);
  const { editing, toggle, token, setToken, appSecret, setAppSecret, replace, submit } = useReplaceCredentials(
    channelId,
    [`${kind}-setup`, channelId],
  );
  if (setup.error) return <Alert color="red">{errorMessage(setup.error)}</Alert>;
  const info = setup.data;
  if (!info) return null;
  const result = check.data;
  return (
    <Stack gap="xs">
      <Text size="sm">{t(`metaChannels.${kind}.paste`)}</Text>
      <Copyable label={t("metaChannels.webhookUrl")} value={info.webhook_url} />
      <Copyable label={t("metaChannels.verifyToken")} value={info.verify_token} />
      <Text size="xs" c="dimmed">
        {t("metaChannels.subscribe", { fields: info.subscribe_fields.join(", ") })}
      </Text>
      <MetaAppWebhook channelId={channelId} info={info} queryKey={[`${kind}-setup`, channelId]} />
      <Text size="sm">{info.has_access_token && info.has_app_secret ? t("metaChannels.credentialsSet") : t("metaChannels.credentialsMissing")}</Text>
      <Group gap="xs">
        <Button size="xs" variant="light" loading={check.isPending} onClick={() => check.mutate()}>
          {t("metaChannels.test")}
        </Button>
        <Button size="xs" variant="subtle" onClick={toggle}>
          {t("metaChannels.replace")}
        </Button>
      </Group>
      {result && (
        <Alert color={result.ok ? "green" : "red"} title={result.ok ? t("metaChannels.testOk") : t("metaChannels.testFailed")}>
          {result.ok ? t("metaChannels.testDetails", { name: result.name ?? "", id: result.account_id ?? "" }) : `${result.error?.message ?? ""} (${result.error?.code ?? ""})`}
        </Alert>
      )}
      {check.error && <Alert color="red">{errorMessage(check.error)}</Alert>}
      {editing && (
        <form onSubmit={submit} aria-label={t("metaChannels.replace")}>
          <Stack gap="xs">
            <Secrets kind={kind} token={token} appSecret={appSecret} onToken={setToken} onAppSecret={setAppSecret} />
            <Button type="submit" size="xs" loading={replace.isPending} w="fit-content">
              {t("metaChannels.save")}
            </Button>
          </Stack>
        </form>
      )}
      {replace.error && <Alert color="red">{errorMessage(replace.error)}</Alert>}
    </Stack>
  );
}
