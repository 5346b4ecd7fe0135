// Connecting WhatsApp numbers (one channel per number) and, for each one, what to paste in
// Meta's console, a connection test, template sync and replacing its credentials.
// Credentials are write-only: the server keeps them encrypted and never sends them back.
import { Alert, Button, Group, PasswordInput, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { Copyable } from "./Copyable";
import { MetaAppWebhook } from "./MetaAppWebhook";
import { useReplaceCredentials } from "./useReplaceCredentials";

const card = { border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 };

export function WhatsAppChannel({ onConnected }: { onConnected?: (channel: Schemas["ChannelRead"]) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const [name, setName] = useState("");
  const [teamId, setTeamId] = useState<string | null>(null);
  const [numberId, setNumberId] = useState("");
  const [accountId, setAccountId] = useState("");
  const [display, setDisplay] = useState("");
  const [token, setToken] = useState("");
  const [appSecret, setAppSecret] = useState("");
  const connect = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/channels", {
          body: {
            type: "whatsapp",
            name,
            team_id: teamId,
            is_active: true,
            settings: {
              phone_number_id: numberId.trim(),
              business_account_id: accountId.trim(),
              ...(display.trim() ? { display_phone_number: display.trim() } : {}),
            },
            secrets: { access_token: token.trim(), app_secret: appSecret.trim() },
          },
        }),
      ),
    onSuccess: (channel) => {
      onConnected?.(channel);
      setName("");
      setNumberId("");
      setAccountId("");
      setDisplay("");
      setToken("");
      setAppSecret("");
      void queries.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    connect.mutate();
  };
  return (
    <Stack gap="xs" p="sm" style={card}>
      <Title order={3} size="h5">
        {t("channelSetup.whatsapp.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("channelSetup.whatsapp.intro")}
      </Text>
      <form onSubmit={submit} aria-label={t("channelSetup.whatsapp.title")}>
        <Stack gap="xs">
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t("channelSetup.whatsapp.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label={t("channelSetup.whatsapp.team")}
              placeholder={t("channelSetup.whatsapp.noTeam")}
              clearable
              data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeamId}
            />
          </Group>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t("channelSetup.whatsapp.phoneNumberId")}
              description={t("channelSetup.whatsapp.phoneNumberIdHelp")}
              required
              value={numberId}
              onChange={(e) => setNumberId(e.currentTarget.value)}
            />
            <TextInput
              label={t("channelSetup.whatsapp.accountId")}
              description={t("channelSetup.whatsapp.accountIdHelp")}
              required
              value={accountId}
              onChange={(e) => setAccountId(e.currentTarget.value)}
            />
            <TextInput
              label={t("channelSetup.whatsapp.displayNumber")}
              placeholder="+55 11 4003 2101"
              value={display}
              onChange={(e) => setDisplay(e.currentTarget.value)}
            />
          </Group>
          <Secrets token={token} appSecret={appSecret} onToken={setToken} onAppSecret={setAppSecret} />
          <Button type="submit" loading={connect.isPending} w="fit-content">
            {t("channelSetup.whatsapp.connect")}
          </Button>
        </Stack>
      </form>
      {connect.error && (
        <Alert color="red" title={t("channelSetup.whatsapp.failed")}>
          {errorMessage(connect.error)}
        </Alert>
      )}
      {connect.data && (
        <Alert color="green" title={t("channelSetup.whatsapp.connected")}>
          {t("channelSetup.whatsapp.nextStep", { name: connect.data.name })}
        </Alert>
      )}
    </Stack>
  );
}

function Secrets(props: { token: string; appSecret: string; onToken: (v: string) => void; onAppSecret: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <Group align="flex-end" wrap="wrap" grow>
      <PasswordInput
        label={t("channelSetup.whatsapp.accessToken")}
        description={t("channelSetup.whatsapp.accessTokenHelp")}
        required
        autoComplete="off"
        value={props.token}
        onChange={(e) => props.onToken(e.currentTarget.value)}
      />
      <PasswordInput
        label={t("channelSetup.whatsapp.appSecret")}
        description={t("channelSetup.whatsapp.appSecretHelp")}
        required
        autoComplete="off"
        value={props.appSecret}
        onChange={(e) => props.onAppSecret(e.currentTarget.value)}
      />
    </Group>
  );
}

// The set-up of one connected number, shown under it in the channel list.
export function WhatsAppDetails({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const path = { params: { path: { channel_id: channelId } } };
  const setup = useQuery({
    queryKey: ["whatsapp-setup", channelId],
    queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/whatsapp", path)),
  });
  const check = useMutation({ mutationFn: () => unwrap(api.POST("/api/v1/channels/{channel_id}/whatsapp/test", path)) });
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/channels/{channel_id}/whatsapp/templates/sync", path)),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ["templates", channelId] }),
  });
  const { editing, toggle, token, setToken, appSecret, setAppSecret, replace, submit } = useReplaceCredentials(
    channelId,
    ["whatsapp-setup", channelId],
  );
  if (setup.error) return <Alert color="red">{errorMessage(setup.error)}</Alert>;
  const info = setup.data;
  if (!info) return null;
  const result = check.data;
  return (
    <Stack gap="xs">
      <Text size="sm">{t("channelSetup.whatsapp.paste")}</Text>
      <Copyable label={t("channelSetup.whatsapp.webhookUrl")} value={info.webhook_url} />
      <Copyable label={t("channelSetup.whatsapp.verifyToken")} value={info.verify_token} />
      <Text size="xs" c="dimmed">
        {t("channelSetup.whatsapp.subscribe", { fields: (info.subscribe_fields ?? ["messages"]).join(", ") })}
      </Text>
      <MetaAppWebhook channelId={channelId} info={info} queryKey={["whatsapp-setup", channelId]} />
      <Text size="sm">
        {info.has_access_token && info.has_app_secret ? t("channelSetup.whatsapp.credentialsSet") : t("channelSetup.whatsapp.credentialsMissing")}
      </Text>
      <Group gap="xs">
        <Button size="xs" variant="light" loading={check.isPending} onClick={() => check.mutate()}>
          {t("channelSetup.whatsapp.test")}
        </Button>
        <Button size="xs" variant="light" loading={sync.isPending} onClick={() => sync.mutate()}>
          {t("channelSetup.whatsapp.sync")}
        </Button>
        <Button size="xs" variant="subtle" onClick={toggle}>
          {t("channelSetup.whatsapp.replace")}
        </Button>
      </Group>
      {result && (
        <Alert color={result.ok ? "green" : "red"} title={result.ok ? t("channelSetup.whatsapp.testOk") : t("channelSetup.whatsapp.testFailed")}>
          {result.ok
            ? t("channelSetup.whatsapp.testDetails", {
                number: result.display_phone_number ?? "",
                name: result.verified_name ?? "",
                quality: result.quality_rating ?? "",
              })
            : `${result.error?.message ?? ""} (${result.error?.code ?? ""})`}
        </Alert>
      )}
      {check.error && <Alert color="red">{errorMessage(check.error)}</Alert>}
      {sync.data && (
        <Alert color="green">{t("channelSetup.whatsapp.synced", { count: sync.data.count, approved: sync.data.approved })}</Alert>
      )}
      {sync.error && <Alert color="red">{errorMessage(sync.error)}</Alert>}
      {editing && (
        <form onSubmit={submit} aria-label={t("channelSetup.whatsapp.replace")}>
          <Stack gap="xs">
            <Secrets token={token} appSecret={appSecret} onToken={setToken} onAppSecret={setAppSecret} />
            <Button type="submit" size="xs" loading={replace.isPending} w="fit-content">
              {t("channelSetup.whatsapp.save")}
            </Button>
          </Stack>
        </form>
      )}
      {replace.error && <Alert color="red">{errorMessage(replace.error)}</Alert>}
    </Stack>
  );
}
