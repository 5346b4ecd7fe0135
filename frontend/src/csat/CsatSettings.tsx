// Settings → Workspace: the CSAT survey sent on close — on or off, its question in each
// language, and the teams whose closes send it. Owners and managers change it.
import { Alert, Button, Checkbox, Group, MultiSelect, Stack, Switch, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { LANGUAGES } from "../i18n";

type Stored = Schemas["CsatSettingsRead"];
type Language = (typeof LANGUAGES)[number]["code"];

interface Form {
  enabled: boolean;
  questions: Record<Language, string>;
  allTeams: boolean;
  teamIds: string[];
}

export function formFrom(stored: Stored): Form {
  const questions = stored.questions as Partial<Record<Language, string>>;
  return {
    enabled: stored.enabled,
    questions: { en: questions.en ?? "", "pt-BR": questions["pt-BR"] ?? "", vi: questions.vi ?? "" },
    allTeams: stored.team_ids === null || stored.team_ids === undefined,
    teamIds: stored.team_ids ?? [],
  };
}

export function bodyFrom(form: Form): Schemas["CsatSettings"] {
  const questions = Object.fromEntries(
    Object.entries(form.questions).filter(([, text]) => text.trim() !== ""),
  ) as Schemas["CsatSettings"]["questions"];
  return { enabled: form.enabled, questions, team_ids: form.allTeams ? null : form.teamIds };
}

export function CsatSettings() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: ["csat-settings"], queryFn: () => unwrap(api.GET("/api/v1/csat/settings")) });
  const workspace = useQuery({ queryKey: ["workspace-current"], queryFn: () => unwrap(api.GET("/api/v1/workspaces/current")) });
  if (settings.error) return <Alert color="red">{errorMessage(settings.error)}</Alert>;
  if (!settings.data || !workspace.data) return <Text>{t("app.loading")}</Text>;
  const role = workspace.data.role;
  return <SettingsForm stored={settings.data} canChange={role === "owner" || role === "manager"} />;
}

function SettingsForm({ stored, canChange }: { stored: Stored; canChange: boolean }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [form, setForm] = useState<Form>(() => formFrom(stored));
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(formFrom(stored)), [stored]);
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/v1/csat/settings", { body: bodyFrom(form) })),
    onSuccess: (data) => {
      queries.setQueryData(["csat-settings"], data);
      setSaved(true);
    },
  });
  const set = (change: Partial<Form>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...change }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const teamOptions = (teams.data ?? [])
    .filter((team) => !team.archived_at || form.teamIds.includes(team.id))
    .map((team) => ({ value: team.id, label: team.name }));
  return (
    <Stack component="form" onSubmit={submit} gap="md" maw={560} aria-label={t("csat.settings.title")} mt="xl">
      <Title order={3} size="h4">
        {t("csat.settings.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("csat.settings.intro")}
      </Text>
      {!canChange && <Alert color="gray">{t("csat.settings.adminsOnly")}</Alert>}
      <Switch
        label={t("csat.settings.enabled")}
        checked={form.enabled}
        onChange={(e) => set({ enabled: e.currentTarget.checked })}
        disabled={!canChange}
      />
      {LANGUAGES.map((language) => (
        <Textarea
          key={language.code}
          label={t("csat.settings.question", { language: language.label })}
          description={t("csat.settings.questionHelp")}
          placeholder={stored.default_questions[language.code]}
          value={form.questions[language.code]}
          onChange={(e) => set({ questions: { ...form.questions, [language.code]: e.currentTarget.value } })}
          maxLength={600}
          autosize
          minRows={1}
          readOnly={!canChange}
        />
      ))}
      <Checkbox
        label={t("csat.settings.allTeams")}
        description={t("csat.settings.allTeamsHelp")}
        checked={form.allTeams}
        onChange={(e) => set({ allTeams: e.currentTarget.checked })}
        disabled={!canChange}
      />
      {!form.allTeams && (
        <MultiSelect
          label={t("csat.settings.teams")}
          placeholder={t("csat.settings.teamsPlaceholder")}
          data={teamOptions}
          value={form.teamIds}
          onChange={(teamIds) => set({ teamIds })}
          searchable
          readOnly={!canChange}
        />
      )}
      {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
      {canChange && (
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t("csat.settings.save")}
          </Button>
          {saved && (
            <Text size="sm" c="green" role="status">
              {t("csat.settings.saved")}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}
