// Connecting a mailbox: its address, the IMAP server mail is read from, the SMTP server replies
// go through, and the login. "Test connection" tries both servers and says what each answered;
// connecting tests them again before anything is kept. A connected mailbox's card shows the
// forwarding route (for providers that post inbound mail by HTTP instead).
import { Alert, Button, Group, NumberInput, PasswordInput, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { Copyable } from "./Copyable";

type Settings = Schemas["MailboxSettings"];
type Security = Settings["smtp_security"];

const EMPTY = {
  address: "",
  username: "",
  password: "",
  imap_host: "",
  imap_port: 993,
  imap_security: "ssl" as "ssl" | "none",
  smtp_host: "",
  smtp_port: 465,
  smtp_security: "ssl" as Security,
  folder: "INBOX",
};

export function EmailChannel({ onConnected }: { onConnected?: (channel: Schemas["ChannelRead"]) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const [name, setName] = useState("");
  const [teamId, setTeamId] = useState<string | null>(null);
  const [box, setBox] = useState(EMPTY);
  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => setBox((b) => ({ ...b, [key]: value }));
  const settings = (): Settings => ({ ...box, address: box.address.trim(), username: box.username.trim() });
  const check = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/channels/email/test", { body: settings() })),
  });
  const connect = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/channels/email", { body: { ...settings(), name, team_id: teamId, read_existing: false } })),
    onSuccess: (channel) => {
      onConnected?.(channel);
      setName("");
      setBox(EMPTY);
      check.reset();
      void queries.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    connect.mutate();
  };
  const result = check.data;
  const securities = [
    { value: "ssl", label: t("emailSetup.ssl") },
    { value: "starttls", label: t("emailSetup.starttls") },
    { value: "none", label: t("emailSetup.none") },
  ];
  return (
    <Stack gap="xs" p="sm" style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 }}>
      <Title order={3} size="h5">
        {t("emailSetup.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("emailSetup.intro")}
      </Text>
      <form onSubmit={submit} aria-label={t("emailSetup.title")}>
        <Stack gap="xs">
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t("emailSetup.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label={t("emailSetup.team")}
              placeholder={t("emailSetup.noTeam")}
              clearable
              data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeamId}
            />
          </Group>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t("emailSetup.address")}
              type="email"
              required
              value={box.address}
              onChange={(e) => set("address", e.currentTarget.value)}
            />
            <TextInput
              label={t("emailSetup.username")}
              description={t("emailSetup.usernameHelp")}
              autoComplete="off"
              value={box.username}
              onChange={(e) => set("username", e.currentTarget.value)}
            />
            <PasswordInput
              label={t("emailSetup.password")}
              description={t("emailSetup.passwordHelp")}
              required
              autoComplete="off"
              value={box.password}
              onChange={(e) => set("password", e.currentTarget.value)}
            />
          </Group>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t("emailSetup.imapHost")}
              description={t("emailSetup.imapHostHelp")}
              value={box.imap_host}
              onChange={(e) => set("imap_host", e.currentTarget.value.trim())}
            />
            <NumberInput
              label={t("emailSetup.imapPort")}
              min={1}
              max={65535}
              w={110}
              value={box.imap_port}
              onChange={(v) => set("imap_port", Number(v) || 993)}
            />
            <Select
              label={t("emailSetup.imapSecurity")}
              data={securities.filter((s) => s.value !== "starttls")}
              allowDeselect={false}
              value={box.imap_security}
              onChange={(v) => set("imap_security", (v as "ssl" | "none" | null) ?? "ssl")}
            />
          </Group>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t("emailSetup.smtpHost")}
              required
              value={box.smtp_host}
              onChange={(e) => set("smtp_host", e.currentTarget.value.trim())}
            />
            <NumberInput
              label={t("emailSetup.smtpPort")}
              min={1}
              max={65535}
              w={110}
              value={box.smtp_port}
              onChange={(v) => set("smtp_port", Number(v) || 465)}
            />
            <Select
              label={t("emailSetup.smtpSecurity")}
              data={securities}
              allowDeselect={false}
              value={box.smtp_security}
              onChange={(v) => set("smtp_security", (v as Security | null) ?? "ssl")}
            />
          </Group>
          <Group gap="xs" wrap="wrap">
            <Button type="button" variant="default" loading={check.isPending} onClick={() => check.mutate()}>
              {t("emailSetup.test")}
            </Button>
            <Button type="submit" loading={connect.isPending}>
              {connect.isPending ? t("emailSetup.connecting") : t("emailSetup.connect")}
            </Button>
          </Group>
        </Stack>
      </form>
      {check.error && (
        <Alert color="red" title={t("emailSetup.testFailed")}>
          {errorMessage(check.error)}
        </Alert>
      )}
      {result && (
        <Alert color={result.ok ? "green" : "red"} title={result.ok ? t("emailSetup.testOk") : t("emailSetup.testFailed")}>
          <Stack gap={2}>
            <Text size="sm">{result.imap ?? (box.imap_host ? t("emailSetup.imapOk") : t("emailSetup.imapUnused"))}</Text>
            <Text size="sm">{result.smtp ?? t("emailSetup.smtpOk")}</Text>
          </Stack>
        </Alert>
      )}
      {connect.error && (
        <Alert color="red" title={t("emailSetup.failed")}>
          {errorMessage(connect.error)}
        </Alert>
      )}
      {connect.data && (
        <Alert color="green" title={t("emailSetup.connected")}>
          {t("emailSetup.connectedAs", { address: String(connect.data.settings.address ?? "") })}
        </Alert>
      )}
    </Stack>
  );
}

/** A mailbox's card: where a mail provider may post inbound mail instead of IMAP. */
export function EmailDetails({ channel }: { channel: Schemas["ChannelRead"] }) {
  const { t } = useTranslation();
  const route = useQuery({
    queryKey: ["channels", channel.id, "email-forwarding"],
    queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/email/forwarding", { params: { path: { channel_id: channel.id } } })),
  });
  return (
    <Stack gap="xs">
      <Text size="sm">
        {t("emailSetup.reading", {
          address: String(channel.settings.address ?? ""),
          server: String(channel.settings.imap_host || t("emailSetup.forwardingOnly")),
        })}
      </Text>
      <Text size="sm" c="dimmed">
        {t("emailSetup.forwardingHelp")}
      </Text>
      {route.data?.secret && (
        <>
          <Copyable label={t("emailSetup.forwardingUrl")} value={route.data.url} />
          <Copyable label={t("emailSetup.forwardingSecret", { header: route.data.header })} value={route.data.secret} />
        </>
      )}
    </Stack>
  );
}
