// What a broadcast sends: free text, or an approved template with each variable taken from the
// contact (name, first name, phone, email, a custom field) or fixed text, previewed.
import { Group, Paper, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { type Variable, useFields, useTemplates } from "./api";
import { fitVariables, placeholderCount, previewText } from "./compose";

export type Content = Schemas["BroadcastContent"];
const SOURCES = ["first_name", "name", "phone", "email", "field", "text"] as const;

export function ContentEditor({ content, onChange, channelId }: { content: Content; onChange: (c: Content) => void; channelId: string | null }) {
  const { t } = useTranslation();
  const templates = useTemplates(channelId);
  const fields = useFields();
  const approved = (templates.data ?? []).filter((tpl) => tpl.status.toUpperCase() === "APPROVED");
  const template = approved.find((tpl) => tpl.id === content.template_id);
  const variables = content.variables ?? [];
  const setVariable = (i: number, change: Partial<Variable>) =>
    onChange({ ...content, variables: variables.map((v, j) => (j === i ? { ...v, ...change } : v)) });
  const describe = (v: Variable) =>
    v.source === "text" ? v.value || "" : v.source === "field" ? v.value || t("broadcasts.variable.field") : t(`broadcasts.variable.${v.source}`);
  return (
    <Stack gap="sm">
      <SegmentedControl
        value={content.kind}
        onChange={(kind) => onChange({ ...content, kind: kind as Content["kind"] })}
        data={(["template", "text"] as const).map((k) => ({ value: k, label: t(`broadcasts.content.${k}`) }))}
      />
      {content.kind === "text" ? (
        <Stack gap={4}>
          <Textarea label={t("broadcasts.content.body")} autosize minRows={3} value={content.body ?? ""} onChange={(e) => onChange({ ...content, body: e.currentTarget.value })} />
          <Text size="xs" c="dimmed">
            {t("broadcasts.content.windowNote")}
          </Text>
        </Stack>
      ) : (
        <>
          <Select
            label={t("broadcasts.content.template")}
            data={approved.map((tpl) => ({ value: tpl.id, label: `${tpl.name} (${tpl.language})` }))}
            value={content.template_id ?? null}
            onChange={(id) => {
              const chosen = approved.find((tpl) => tpl.id === id);
              onChange({ ...content, template_id: id, variables: fitVariables(variables, placeholderCount(chosen?.body ?? "")) });
            }}
            nothingFoundMessage={t("broadcasts.content.noTemplates")}
          />
          {variables.map((v, i) => (
            <Group key={i} gap="xs" align="flex-end" wrap="wrap">
              <Select
                label={t("broadcasts.variable.label", { n: i + 1 })}
                data={SOURCES.map((s) => ({ value: s, label: t(`broadcasts.variable.${s}`) }))}
                value={v.source}
                onChange={(s) => setVariable(i, { source: (s ?? "first_name") as Variable["source"], value: "" })}
                w={160}
              />
              {v.source === "field" && (
                <Select
                  label={t("broadcasts.variable.field")}
                  data={(fields.data ?? []).map((f) => ({ value: f.key, label: f.label }))}
                  value={v.value || null}
                  onChange={(key) => setVariable(i, { value: key ?? "" })}
                  w={160}
                />
              )}
              {v.source === "text" && <TextInput label={t("broadcasts.variable.text")} value={v.value ?? ""} onChange={(e) => setVariable(i, { value: e.currentTarget.value })} w={160} />}
              {v.source !== "text" && (
                <TextInput label={t("broadcasts.variable.fallback")} value={v.fallback ?? ""} onChange={(e) => setVariable(i, { fallback: e.currentTarget.value })} w={160} />
              )}
            </Group>
          ))}
          {template && (
            <Paper withBorder p="sm" bg="gray.0">
              <Text size="xs" c="dimmed">
                {t("broadcasts.content.preview")}
              </Text>
              <Text style={{ whiteSpace: "pre-wrap" }}>{previewText(template.body, variables, describe)}</Text>
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
