// Settings → Workspace: similar conversations and suggested replies — on or off, and how far the
// job has come embedding the workspace's conversations. Owners and managers change it.
import { Alert, Progress, Stack, Switch, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";

const KEY = ["similarity-settings"];

export function SimilarSettings() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const workspace = useQuery({ queryKey: ["workspace-current"], queryFn: () => unwrap(api.GET("/api/v1/workspaces/current")) });
  const settings = useQuery({
    queryKey: KEY,
    queryFn: () => unwrap(api.GET("/api/v1/similarity/settings")),
    refetchInterval: (q: { state: { data?: { is_enabled: boolean; conversations_ready: number; conversations_total: number } } }) => {
      const d = q.state.data;
      return d?.is_enabled && d.conversations_ready < d.conversations_total ? 3_000 : false;
    },
  });
  const save = useMutation({
    mutationFn: (isEnabled: boolean) => unwrap(api.PUT("/api/v1/similarity/settings", { body: { is_enabled: isEnabled } })),
    onSuccess: (data) => {
      queries.setQueryData(KEY, data);
      void queries.invalidateQueries({ queryKey: ["similar-conversations"] });
      void queries.invalidateQueries({ queryKey: ["suggested-replies"] });
    },
  });
  if (settings.error) return <Alert color="red">{errorMessage(settings.error)}</Alert>;
  if (!settings.data || !workspace.data) return <Text>{t("app.loading")}</Text>;
  const role = workspace.data.role;
  const canChange = role === "owner" || role === "manager";
  const { is_enabled, conversations_ready, conversations_total, model } = settings.data;
  const percent = conversations_total ? Math.round((100 * conversations_ready) / conversations_total) : 100;
  return (
    <Stack gap="sm" maw={560} mt="xl" aria-label={t("similar.settings.title")}>
      <Title order={3} size="h4">
        {t("similar.settings.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("similar.settings.intro", { model })}
      </Text>
      {!canChange && <Alert color="gray">{t("similar.settings.adminsOnly")}</Alert>}
      <Switch
        label={t("similar.settings.enabled")}
        checked={is_enabled}
        disabled={!canChange || save.isPending}
        onChange={(e) => save.mutate(e.currentTarget.checked)}
      />
      {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
      {is_enabled && (
        <Stack gap={4}>
          <Progress value={percent} size="lg" aria-label={t("similar.settings.progressLabel")} />
          <Text size="xs" c="dimmed" role="status">
            {t("similar.settings.progress", { ready: conversations_ready, total: conversations_total })}
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
