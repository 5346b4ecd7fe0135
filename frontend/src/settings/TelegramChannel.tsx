// Connecting a Telegram bot: its name, BotFather's token and the team that answers it.
// The server tests the token with Telegram and registers its webhook before saying yes.
import { Alert, Anchor, Button, Group, PasswordInput, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";

export function TelegramChannel({ onConnected }: { onConnected?: (channel: Schemas["ChannelRead"]) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const [name, setName] = useState("");
  const [token, setToken] = useState("");
  const [teamId, setTeamId] = useState<string | null>(null);
  const connect = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/channels/telegram", { body: { name, bot_token: token.trim(), team_id: teamId } })),
    onSuccess: (channel) => {
      onConnected?.(channel);
      setName("");
      setToken("");
      setTeamId(null);
      void queries.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    connect.mutate();
  };
  const connected = connect.data;
  const username = typeof connected?.settings.bot_username === "string" ? connected.settings.bot_username : "";
  return (
    <Stack gap="xs" p="sm" style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 }}>
      <Title order={3} size="h5">
        {t("telegramSetup.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("telegramSetup.intro")}
      </Text>
      <form onSubmit={submit} aria-label={t("telegramSetup.title")}>
        <Stack gap="xs">
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t("telegramSetup.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label={t("telegramSetup.team")}
              placeholder={t("telegramSetup.noTeam")}
              clearable
              data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeamId}
            />
          </Group>
          <PasswordInput
            label={t("telegramSetup.token")}
            description={t("telegramSetup.tokenHelp")}
            required
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
          />
          <Button type="submit" loading={connect.isPending} w="fit-content">
            {connect.isPending ? t("telegramSetup.connecting") : t("telegramSetup.connect")}
          </Button>
        </Stack>
      </form>
      {connect.error && (
        <Alert color="red" title={t("telegramSetup.failed")}>
          {errorMessage(connect.error)}
        </Alert>
      )}
      {connected && (
        <Alert color="green" title={t("telegramSetup.connected")}>
          {username ? (
            <>
              {t("telegramSetup.connectedAs")}{" "}
              <Anchor href={`https://t.me/${username}`} target="_blank" rel="noreferrer">
                @{username}
              </Anchor>
            </>
          ) : (
            connected.name
          )}
        </Alert>
      )}
    </Stack>
  );
}
