// Opening a new workspace in the organisation: its name, address name, time zone and the
// language of its automatic messages. The admin owns it and can switch into it at once.
import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api, errorMessage, unwrap } from "../api/client";
import { LANGUAGES } from "../i18n";
import { browserTimeZone } from "../reports/format";
import { OVERVIEW_KEY } from "./hooks";
import { slugFrom } from "./thresholds";

type Language = "en" | "pt-BR" | "vi";

export interface Created {
  id: string;
  name: string;
}

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: (workspace: Created) => void;
}

export function NewWorkspace({ opened, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t("organisation.create.title")}
      fullScreen={phone}
      size="md"
      closeButtonProps={{ "aria-label": t("a11y.close") }}
    >
      {opened && <NewWorkspaceForm onCreated={onCreated} />}
    </Modal>
  );
}

function NewWorkspaceForm({ onCreated }: { onCreated: (workspace: Created) => void }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const zones = useQuery({
    queryKey: ["time-zones"],
    queryFn: () => unwrap(api.GET("/api/v1/business-hours/time-zones")),
    staleTime: Infinity,
  });
  const [name, setName] = useState("");
  const [slug, setSlug] = useState<string | null>(null); // null: follows the name
  const [zone, setZone] = useState(browserTimeZone());
  const startLanguage = LANGUAGES.some((l) => l.code === i18n.language) ? (i18n.language as Language) : "en";
  const [language, setLanguage] = useState<Language>(startLanguage);
  const shownSlug = slug ?? slugFrom(name);
  const zoneOptions = useMemo(() => {
    const all = zones.data ?? [];
    return all.includes(zone) ? all : [zone, ...all];
  }, [zones.data, zone]);

  const create = useMutation({
    mutationFn: async () => {
      const created = await unwrap(
        api.POST("/api/v1/workspaces", { body: { name: name.trim(), slug: shownSlug, timezone: zone } }),
      );
      // The new workspace's own settings: asked in it, as its owner.
      await unwrap(
        api.PATCH("/api/v1/workspaces/current", {
          body: { default_language: language },
          headers: { "X-Workspace-Id": created.id },
        }),
      );
      return created;
    },
    onSuccess: (created) => {
      void queries.invalidateQueries({ queryKey: ["me"] });
      void queries.invalidateQueries({ queryKey: OVERVIEW_KEY });
      onCreated({ id: created.id, name: created.name });
    },
  });
  const problem = create.error;
  const slugTaken = problem instanceof ApiError && problem.status === 409;
  const badZone = problem instanceof ApiError && problem.status === 422 && problem.field === "timezone";
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() && shownSlug) create.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="sm" aria-label={t("organisation.create.title")}>
      <TextInput
        label={t("organisation.create.name")}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        maxLength={200}
        required
        data-autofocus
      />
      <TextInput
        label={t("organisation.create.slug")}
        description={t("organisation.create.slugHelp")}
        value={shownSlug}
        onChange={(e) => setSlug(e.currentTarget.value.toLowerCase())}
        pattern="[a-z0-9][a-z0-9\-]{1,79}"
        maxLength={80}
        required
        error={slugTaken ? t("organisation.create.slugTaken") : undefined}
      />
      <Select
        label={t("organisation.create.timezone")}
        data={zoneOptions}
        value={zone}
        onChange={(v) => v && setZone(v)}
        searchable
        allowDeselect={false}
        error={badZone ? errorMessage(problem) : undefined}
      />
      <Select
        label={t("organisation.create.language")}
        description={t("organisation.create.languageHelp")}
        data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
        value={language}
        onChange={(v) => v && setLanguage(v as Language)}
        allowDeselect={false}
      />
      {problem && !slugTaken && !badZone && <Alert color="red">{errorMessage(problem)}</Alert>}
      <Group justify="flex-end">
        <Button type="submit" loading={create.isPending} disabled={!name.trim() || !shownSlug}>
          {t("organisation.create.submit")}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t("organisation.create.owner")}
      </Text>
    </Stack>
  );
}
