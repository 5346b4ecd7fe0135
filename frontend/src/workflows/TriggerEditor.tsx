// What starts the workflow: the trigger's type and its settings (keywords or a pattern for a
// message, which tags / fields / stages, a schedule's cron and time zone), the incoming webhook's
// address, and the problems that belong to no one step.
import { Alert, Button, Code, Group, List, MultiSelect, SegmentedControl, Select, Stack, TagsInput, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { usePickers } from "./api";
import { type Config, type Definition, TRIGGER_TYPES, type TriggerType } from "./definition";
import type { Problem } from "./graph";
import { useProblemText } from "./StepEditor";

const STAGES = ["new_lead", "hot_lead", "customer", "lost"] as const;

interface TriggerEditorProps {
  workflowId: string;
  webhookUrl: string | null;
  definition: Definition;
  problems: readonly Problem[];
  readOnly: boolean;
  onChange: (definition: Definition) => void;
  onClose: () => void;
}

export function TriggerEditor({ workflowId, webhookUrl, definition, problems, readOnly, onChange, onClose }: TriggerEditorProps) {
  const { t } = useTranslation();
  const pickers = usePickers();
  const problemText = useProblemText();
  const trigger = definition.trigger;
  const c = trigger.config;
  const setConfig = (config: Config) => onChange({ ...definition, trigger: { ...trigger, config } });
  const set = (key: string, value: unknown) => setConfig({ ...c, [key]: value });
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const general = problems.filter((p) => !p.step_id);
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/workflows/{workflow_id}/webhook-secret", { params: { path: { workflow_id: workflowId } } })),
  });
  return (
    <Stack gap="sm" p="md" aria-label={t("workflows.trigger.title")}>
      <Group justify="space-between" wrap="nowrap">
        <Title order={3} size="h5">
          {t("workflows.trigger.title")}
        </Title>
        <Button size="compact-sm" variant="subtle" onClick={onClose}>
          {t("workflows.editor.close")}
        </Button>
      </Group>
      {general.length > 0 && (
        <Alert color="red" p="xs" title={t("workflows.editor.problems")}>
          <List size="sm">
            {general.map((p, i) => (
              <List.Item key={i}>{problemText(p)}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="sm">
          <Select
            label={t("workflows.trigger.type")}
            data={TRIGGER_TYPES.map((type) => ({ value: type, label: t(`workflows.trigger.${type}`) }))}
            value={trigger.type}
            allowDeselect={false}
            onChange={(v) => v && onChange({ ...definition, trigger: { type: v as TriggerType, config: {} } })}
          />
          {trigger.type === "message_received" && (
            <>
              <SegmentedControl
                aria-label={t("workflows.trigger.match")}
                value={typeof c.match === "string" ? c.match : "any"}
                onChange={(v) => set("match", v)}
                data={(["any", "keyword", "regex"] as const).map((m) => ({ value: m, label: t(`workflows.trigger.matches.${m}`) }))}
              />
              {c.match === "keyword" && (
                <TagsInput label={t("workflows.trigger.keywords")} description={t("workflows.trigger.keywordsHint")} value={list(c.keywords)} onChange={(v) => set("keywords", v)} />
              )}
              {c.match === "regex" && (
                <TextInput label={t("workflows.trigger.pattern")} styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }} value={typeof c.pattern === "string" ? c.pattern : ""} onChange={(e) => set("pattern", e.currentTarget.value)} />
              )}
            </>
          )}
          {trigger.type === "contact_tag_changed" && (
            <>
              <MultiSelect label={t("workflows.trigger.tags")} data={pickers.tags} value={list(c.tag_ids)} onChange={(v) => set("tag_ids", v)} searchable />
              <SegmentedControl
                aria-label={t("workflows.trigger.change")}
                value={typeof c.change === "string" ? c.change : "any"}
                onChange={(v) => set("change", v)}
                data={(["added", "removed", "any"] as const).map((m) => ({ value: m, label: t(`workflows.trigger.changes.${m}`) }))}
              />
            </>
          )}
          {trigger.type === "contact_field_changed" && (
            <MultiSelect label={t("workflows.trigger.fields")} data={pickers.fields} value={list(c.field_keys)} onChange={(v) => set("field_keys", v)} searchable />
          )}
          {trigger.type === "contact_lifecycle_changed" && (
            <MultiSelect
              label={t("workflows.trigger.stages")}
              data={STAGES.map((s) => ({ value: s, label: t(`contact.stages.${s}`) }))}
              value={list(c.stages)}
              onChange={(v) => set("stages", v)}
            />
          )}
          {trigger.type === "schedule" && (
            <>
              <TextInput
                label={t("workflows.trigger.cron")}
                description={t("workflows.trigger.cronHint")}
                styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
                placeholder="0 9 * * 1-5"
                value={typeof c.cron === "string" ? c.cron : ""}
                onChange={(e) => set("cron", e.currentTarget.value)}
              />
              <TextInput
                label={t("workflows.trigger.timezone")}
                placeholder="America/Sao_Paulo"
                value={typeof c.timezone === "string" ? c.timezone : ""}
                onChange={(e) => set("timezone", e.currentTarget.value)}
              />
            </>
          )}
          {trigger.type === "webhook" && (
            <Stack gap={4}>
              <Text size="sm">{webhookUrl ? t("workflows.trigger.webhookAt") : t("workflows.trigger.webhookAfterPublish")}</Text>
              {webhookUrl && <Code block>{webhookUrl}</Code>}
              {webhookUrl && (
                <Button size="xs" variant="light" onClick={() => rotate.mutate()} loading={rotate.isPending} style={{ alignSelf: "flex-start" }}>
                  {t("workflows.trigger.rotate")}
                </Button>
              )}
              {rotate.data && (
                <Alert color="yellow" p="xs" title={t("workflows.trigger.secretOnce")}>
                  <Code>{rotate.data.webhook_secret}</Code>
                </Alert>
              )}
              {rotate.error && <Alert color="red">{errorMessage(rotate.error)}</Alert>}
            </Stack>
          )}
        </Stack>
      </fieldset>
    </Stack>
  );
}
