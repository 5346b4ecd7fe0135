// Where the signed-in person is signed in: each browser or device, with "sign out" for the others.
import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";

const SESSIONS = ["me", "sessions"];

/** A short name for a browser from its user agent ("Firefox on Windows"), or null. */
export function deviceName(userAgent: string): { browser: string | null; system: string | null } {
  const browsers: [RegExp, string][] = [
    [/Edg\//, "Edge"],
    [/OPR\/|Opera/, "Opera"],
    [/Firefox\//, "Firefox"],
    [/Chrome\/|Chromium\//, "Chrome"],
    [/Safari\//, "Safari"],
  ];
  const systems: [RegExp, string][] = [
    [/Android/, "Android"],
    [/iPhone|iPad|iPod/, "iOS"],
    [/Windows/, "Windows"],
    [/Mac OS X|Macintosh/, "macOS"],
    [/CrOS/, "ChromeOS"],
    [/Linux/, "Linux"],
  ];
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  return { browser, system };
}

export function Sessions() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const sessions = useQuery({ queryKey: SESSIONS, queryFn: () => unwrap(api.GET("/api/v1/me/sessions")) });
  const end = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/me/sessions/{session_id}", { params: { path: { session_id: id } } })),
    onSettled: () => queries.invalidateQueries({ queryKey: SESSIONS }),
  });
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const label = (userAgent: string) => {
    const { browser, system } = deviceName(userAgent);
    if (browser && system) return t("sessions.browserOn", { browser, system });
    return browser ?? system ?? t("sessions.unknownDevice");
  };
  return (
    <Stack gap="xs" component="section" aria-labelledby="sessions-title">
      <Title order={3} size="h5" mt="md" id="sessions-title">
        {t("sessions.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("sessions.help")}
      </Text>
      {sessions.error && <Alert color="red">{errorMessage(sessions.error)}</Alert>}
      {end.error && <Alert color="red">{errorMessage(end.error)}</Alert>}
      {sessions.data?.map((session) => (
        <Paper key={session.id} withBorder p="sm" role="group" aria-label={label(session.user_agent)}>
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
              <Group gap="xs">
                <Text fw={500}>{label(session.user_agent)}</Text>
                {session.is_current && (
                  <Badge size="sm" variant="light">
                    {t("sessions.thisDevice")}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {t("sessions.details", {
                  address: session.ip_address || t("sessions.unknownAddress"),
                  lastSeen: when.format(new Date(session.last_seen_at)),
                  since: when.format(new Date(session.created_at)),
                })}
              </Text>
            </Stack>
            {!session.is_current && (
              <Button
                size="xs"
                variant="light"
                color="red"
                loading={end.isPending && end.variables === session.id}
                onClick={() => end.mutate(session.id)}
                aria-label={t("sessions.signOutThis", { device: label(session.user_agent) })}
              >
                {t("sessions.signOut")}
              </Button>
            )}
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
