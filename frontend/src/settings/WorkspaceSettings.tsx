// The workspace's conversation settings: the language of automatic messages while a
// customer's is unknown, how long after a close a customer's message reopens it, and when the
// reports count a customer as having abandoned.
import { Alert, Button, Group, NumberInput, Select, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { LANGUAGES } from "../i18n";
import { asNumber } from "../routing/format";

type Workspace = Schemas["WorkspaceRead"];
type Form = Pick<Workspace, "default_language" | "reopen_within_hours" | "abandon_after_minutes" | "short_abandon_seconds">;
const MAX_REOPEN_HOURS = 24 * 30;
const MAX_ABANDON_MINUTES = 24 * 60;
const MAX_SHORT_ABANDON_SECONDS = 600;

export function WorkspaceSettings() {
  const { t } = useTranslation();
  const workspace = useQuery({ queryKey: ["workspace-current"], queryFn: () => unwrap(api.GET("/api/v1/workspaces/current")) });
  if (workspace.error) return <Alert color="red">{errorMessage(workspace.error)}</Alert>;
  if (!workspace.data) return <Text>{t("app.loading")}</Text>;
  return <SettingsForm workspace={workspace.data} />;
}

function SettingsForm({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const stored: Form = {
    default_language: workspace.default_language,
    reopen_within_hours: workspace.reopen_within_hours,
    abandon_after_minutes: workspace.abandon_after_minutes,
    short_abandon_seconds: workspace.short_abandon_seconds,
  };
  const [form, setForm] = useState<Form>(stored);
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(stored), [workspace]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH("/api/v1/workspaces/current", { body: form })),
    onSuccess: (data) => {
      queries.setQueryData(["workspace-current"], data);
      setSaved(true);
    },
  });
  const isOwner = workspace.role === "owner";
  const set = (change: Partial<Form>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...change }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const hours = form.reopen_within_hours;
  return (
    <Stack component="form" onSubmit={submit} gap="md" maw={560} aria-label={t("workspaceSettings.title")}>
      <Title order={3} size="h4">
        {t("workspaceSettings.title")}
      </Title>
      {!isOwner && <Alert color="gray">{t("workspaceSettings.ownersOnly")}</Alert>}
      <Select
        label={t("workspaceSettings.defaultLanguage")}
        description={t("workspaceSettings.defaultLanguageHelp")}
        data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
        value={form.default_language}
        onChange={(v) => v && set({ default_language: v as Form["default_language"] })}
        allowDeselect={false}
        readOnly={!isOwner}
      />
      <NumberInput
        label={t("workspaceSettings.reopenWithin")}
        description={hours === 0 ? t("workspaceSettings.reopenNever") : t("workspaceSettings.reopenHelp", { count: hours })}
        suffix={` ${t("workspaceSettings.hours")}`}
        min={0}
        max={MAX_REOPEN_HOURS}
        allowDecimal={false}
        clampBehavior="strict"
        value={hours}
        onChange={(v) => set({ reopen_within_hours: asNumber(v) ?? 0 })}
        readOnly={!isOwner}
      />
      <NumberInput
        label={t("workspaceSettings.abandonAfter")}
        description={t("workspaceSettings.abandonAfterHelp")}
        suffix={` ${t("workspaceSettings.minutes")}`}
        min={1}
        max={MAX_ABANDON_MINUTES}
        allowDecimal={false}
        clampBehavior="strict"
        value={form.abandon_after_minutes}
        onChange={(v) => set({ abandon_after_minutes: asNumber(v) ?? 1 })}
        readOnly={!isOwner}
      />
      <NumberInput
        label={t("workspaceSettings.shortAbandon")}
        description={t("workspaceSettings.shortAbandonHelp")}
        suffix={` ${t("workspaceSettings.seconds")}`}
        min={0}
        max={MAX_SHORT_ABANDON_SECONDS}
        allowDecimal={false}
        clampBehavior="strict"
        value={form.short_abandon_seconds}
        onChange={(v) => set({ short_abandon_seconds: asNumber(v) ?? 0 })}
        readOnly={!isOwner}
      />
      {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
      {isOwner && (
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t("workspaceSettings.save")}
          </Button>
          {saved && (
            <Text size="sm" c="green" role="status">
              {t("workspaceSettings.saved")}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}
