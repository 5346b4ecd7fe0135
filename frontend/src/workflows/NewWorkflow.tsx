// A new workflow: blank, or from a template (greeting menu, keyword route, away message...) with
// the teams, tag and keywords it asks for; it opens in the builder as a draft.
import { Alert, Button, Group, Modal, Radio, Select, Stack, TagsInput, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { WORKFLOWS_KEY, type Template, usePickers, useTemplates } from "./api";
import { blankDefinition } from "./definition";

const BLANK = "";

export function NewWorkflow({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const pickers = usePickers();
  const templates = useTemplates(i18n.language, true);
  const [choice, setChoice] = useState(BLANK);
  const [name, setName] = useState("");
  const [parameters, setParameters] = useState<Record<string, string | string[]>>({});
  const template: Template | undefined = (templates.data ?? []).find((x) => x.key === choice);
  const missing = (template?.parameters ?? []).filter((p) => p.required && !(Array.isArray(parameters[p.key]) ? (parameters[p.key] as string[]).length : parameters[p.key]));
  const create = useMutation({
    mutationFn: () => {
      if (!template) {
        return unwrap(api.POST("/api/v1/workflows", { body: { name: name.trim(), description: "", definition: blankDefinition() } }));
      }
      const given = Object.fromEntries(Object.entries(parameters).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : Boolean(v))));
      return unwrap(
        api.POST("/api/v1/workflows/from-template", {
          body: { template: template.key, name: name.trim() || undefined, language: i18n.language as "en" | "pt-BR" | "vi", parameters: given },
        }),
      );
    },
    onSuccess: async (created) => {
      await queries.invalidateQueries({ queryKey: WORKFLOWS_KEY });
      onClose();
      navigate(`/workflows/${created.id}`);
    },
  });
  const options = { team: pickers.teams, tag: pickers.tags };
  return (
    <Modal opened onClose={onClose} title={t("workflows.new.title")} size="lg">
      <Stack gap="sm">
        <Radio.Group label={t("workflows.new.startFrom")} value={choice} onChange={(v) => { setChoice(v); setParameters({}); }}>
          <Stack gap={6} mt={4}>
            <Radio value={BLANK} label={t("workflows.new.blank")} />
            {(templates.data ?? []).map((x) => (
              <Radio key={x.key} value={x.key} label={x.name} description={x.description} />
            ))}
          </Stack>
        </Radio.Group>
        {templates.error && <Alert color="red">{errorMessage(templates.error)}</Alert>}
        <TextInput
          label={t("workflows.new.name")}
          placeholder={template?.name}
          required={!template}
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        {template?.parameters.map((p) =>
          p.kind === "keywords" ? (
            <TagsInput
              key={p.key}
              label={p.label}
              required={p.required}
              value={Array.isArray(parameters[p.key]) ? (parameters[p.key] as string[]) : []}
              onChange={(v) => setParameters({ ...parameters, [p.key]: v })}
            />
          ) : (
            <Select
              key={p.key}
              label={p.label}
              required={p.required}
              description={p.required ? undefined : t("workflows.new.optional")}
              data={options[p.kind]}
              clearable
              searchable
              value={typeof parameters[p.key] === "string" ? (parameters[p.key] as string) : null}
              onChange={(v) => setParameters({ ...parameters, [p.key]: v ?? "" })}
            />
          ),
        )}
        {template && template.parameters.some((p) => !p.required) && (
          <Text size="xs" c="dimmed">
            {t("workflows.new.leftOut")}
          </Text>
        )}
        {create.error && <Alert color="red">{errorMessage(create.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("workflows.publish.cancel")}
          </Button>
          <Button loading={create.isPending} disabled={(!template && !name.trim()) || missing.length > 0} onClick={() => create.mutate()}>
            {t("workflows.new.create")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
