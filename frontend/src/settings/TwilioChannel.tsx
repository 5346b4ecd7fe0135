// Connecting an SMS number, or a WhatsApp number carried by Twilio: the account's SID and Auth
// Token, the number (or a Messaging Service), and the team that answers. Afterwards the card
// shows the URL to paste as the number's "A message comes in" webhook and tests the credentials.
import { Alert, Button, Group, PasswordInput, SegmentedControl, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { Copyable } from "./Copyable";

type Kind = "sms" | "whatsapp";
const E164 = /^\+[1-9]\d{6,14}$/;

export function TwilioChannel({ kind: initial = "sms", onConnected }: { kind?: Kind; onConnected?: (channel: Schemas["ChannelRead"]) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const [kind, setKind] = useState<Kind>(initial);
  const [name, setName] = useState("");
  const [accountSid, setAccountSid] = useState("");
  const [authToken, setAuthToken] = useState("");
  const [number, setNumber] = useState("");
  const [service, setService] = useState("");
  const [teamId, setTeamId] = useState<string | null>(null);
  const numberProblem = number.trim() && !E164.test(number.trim()) ? t("twilioSetup.numberFormat") : null;
  const connect = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/channels", {
          body: {
            type: kind,
            name,
            team_id: teamId,
            is_active: true,
            settings: {
              provider: "twilio",
              account_sid: accountSid.trim(),
              phone_number: number.trim(),
              ...(service.trim() ? { messaging_service_sid: service.trim() } : {}),
            },
            secrets: { auth_token: authToken.trim() },
          },
        }),
      ),
    onSuccess: (channel) => {
      onConnected?.(channel);
      setName("");
      setAuthToken("");
      void queries.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!numberProblem) connect.mutate();
  };
  return (
    <Stack gap="xs" p="sm" style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 }}>
      <Title order={3} size="h5">
        {t("twilioSetup.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("twilioSetup.intro")}
      </Text>
      <form onSubmit={submit} aria-label={t("twilioSetup.title")}>
        <Stack gap="xs">
          <SegmentedControl
            aria-label={t("twilioSetup.kind")}
            value={kind}
            onChange={(value) => setKind(value as Kind)}
            data={[
              { value: "sms", label: t("twilioSetup.sms") },
              { value: "whatsapp", label: t("twilioSetup.whatsapp") },
            ]}
            w="fit-content"
          />
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t("twilioSetup.name")} required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label={t("twilioSetup.team")}
              placeholder={t("twilioSetup.noTeam")}
              clearable
              data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeamId}
            />
          </Group>
          <Group align="flex-start" wrap="wrap">
            <TextInput
              label={t("twilioSetup.accountSid")}
              description={t("twilioSetup.accountSidHelp")}
              required
              pattern="^AC[0-9a-fA-F]{32}$"
              value={accountSid}
              onChange={(e) => setAccountSid(e.currentTarget.value)}
            />
            <PasswordInput
              label={t("twilioSetup.authToken")}
              description={t("twilioSetup.authTokenHelp")}
              required
              autoComplete="off"
              value={authToken}
              onChange={(e) => setAuthToken(e.currentTarget.value)}
            />
          </Group>
          <Group align="flex-start" wrap="wrap">
            <TextInput
              label={kind === "whatsapp" ? t("twilioSetup.whatsappNumber") : t("twilioSetup.number")}
              description={t("twilioSetup.numberHelp")}
              required
              placeholder="+15017122661"
              value={number}
              error={numberProblem}
              onChange={(e) => setNumber(e.currentTarget.value)}
            />
            <TextInput
              label={t("twilioSetup.service")}
              description={t("twilioSetup.serviceHelp")}
              pattern="^MG[0-9a-fA-F]{32}$"
              value={service}
              onChange={(e) => setService(e.currentTarget.value)}
            />
          </Group>
          <Button type="submit" loading={connect.isPending} w="fit-content">
            {t("twilioSetup.connect")}
          </Button>
        </Stack>
      </form>
      {connect.error && (
        <Alert color="red" title={t("twilioSetup.failed")}>
          {errorMessage(connect.error)}
        </Alert>
      )}
    </Stack>
  );
}

/** A Twilio channel's card: the webhook URL to paste in Twilio's console, and a credentials test. */
export function TwilioDetails({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const path = { params: { path: { channel_id: channelId } } };
  const setup = useQuery({
    queryKey: ["twilio-setup", channelId],
    queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/twilio", path)),
  });
  const check = useMutation({ mutationFn: () => unwrap(api.POST("/api/v1/channels/{channel_id}/twilio/test", path)) });
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/channels/{channel_id}/twilio/templates/sync", path)),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ["templates", channelId] }),
  });
  if (setup.error) return <Alert color="red">{errorMessage(setup.error)}</Alert>;
  const info = setup.data;
  if (!info) return null;
  const result = check.data;
  return (
    <Stack gap="xs">
      <Text size="sm">{t("twilioSetup.paste")}</Text>
      <Copyable label={t("twilioSetup.messageUrl")} value={info.message_url} />
      <Text size="xs" c="dimmed">
        {t("twilioSetup.statusCallback")}
      </Text>
      <Text size="sm">{info.has_auth_token ? t("twilioSetup.credentialsSet") : t("twilioSetup.credentialsMissing")}</Text>
      <Group gap="xs">
        <Button size="xs" variant="light" loading={check.isPending} onClick={() => check.mutate()}>
          {t("twilioSetup.test")}
        </Button>
        {info.kind === "whatsapp" && (
          <Button size="xs" variant="light" loading={sync.isPending} onClick={() => sync.mutate()}>
            {t("twilioSetup.sync")}
          </Button>
        )}
      </Group>
      {sync.data && (
        <Text size="sm" role="status">
          {t("twilioSetup.synced", { count: sync.data.count, approved: sync.data.approved })}
        </Text>
      )}
      {sync.error && <Alert color="red">{errorMessage(sync.error)}</Alert>}
      {result && (
        <Alert color={result.ok ? "green" : "red"} role="status">
          {result.ok ? t("twilioSetup.testOk", { name: result.friendly_name ?? "" }) : result.detail}
        </Alert>
      )}
      {check.error && <Alert color="red">{errorMessage(check.error)}</Alert>}
    </Stack>
  );
}
