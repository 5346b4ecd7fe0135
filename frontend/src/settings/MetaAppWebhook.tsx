// The webhook URL of a Meta app: one callback URL for every WhatsApp number, Page or Instagram
// account of the app, whatever workspace connected it. Shown once the channel says which app it
// belongs to; until then, a field to say so.
import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { Copyable } from "./Copyable";

export type MetaAppInfo = {
  app_id?: string | null;
  app_webhook_url?: string | null;
  app_verify_token?: string | null;
};

export function MetaAppWebhook({ channelId, info, queryKey }: { channelId: string; info: MetaAppInfo; queryKey: unknown[] }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [appId, setAppId] = useState("");
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH("/api/v1/channels/{channel_id}", {
          params: { path: { channel_id: channelId } },
          body: { settings: { app_id: appId.trim() } },
        }),
      ),
    onSuccess: () => {
      setAppId("");
      void queries.invalidateQueries({ queryKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  if (info.app_webhook_url && info.app_verify_token) {
    return (
      <Stack gap="xs">
        <Text size="sm">{t("metaApp.which", { app: info.app_id ?? "" })}</Text>
        <Copyable label={t("metaApp.url")} value={info.app_webhook_url} />
        <Copyable label={t("metaApp.token")} value={info.app_verify_token} />
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} aria-label={t("metaApp.setId")}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {t("metaApp.missing")}
        </Text>
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            size="xs"
            label={t("metaApp.appId")}
            description={t("metaApp.appIdHelp")}
            inputMode="numeric"
            pattern="[0-9]{1,64}"
            value={appId}
            onChange={(e) => setAppId(e.currentTarget.value)}
          />
          <Button type="submit" size="xs" variant="light" loading={save.isPending} disabled={!appId.trim()}>
            {t("metaApp.setId")}
          </Button>
        </Group>
        {save.error && (
          <Text size="xs" c="red">
            {errorMessage(save.error)}
          </Text>
        )}
      </Stack>
    </form>
  );
}
