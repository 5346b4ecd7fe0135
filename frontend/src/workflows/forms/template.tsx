// A send-message step's WhatsApp template: a WhatsApp channel, one of its approved templates (its
// body shown with the {{n}} placeholders) and one value per placeholder, variables allowed.
// Only the template and its values are stored (`config.template`); the channel is found again
// from the template, and the step sends it only in that channel's conversations.
import { Alert, Paper, Select, Stack, Text } from "@mantine/core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { VariableText } from "../VariableText";
import { type TemplateConfig, sizedParameters } from "./sending";

export function TemplateFields({ value, onChange, error }: { value: TemplateConfig | null; onChange: (value: TemplateConfig | null) => void; error?: string }) {
  const { t } = useTranslation();
  const channels = useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")), staleTime: 60_000 });
  const whatsapp = (channels.data ?? []).filter((c) => c.type === "whatsapp");
  const lists = useQueries({
    queries: whatsapp.map((c) => ({
      queryKey: ["templates", c.id],
      queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/templates", { params: { path: { channel_id: c.id } } })),
      staleTime: 60_000,
    })),
  });
  const [picked, setPicked] = useState<string | null>(null);
  const holder = value ? whatsapp.find((_, i) => (lists[i]?.data ?? []).some((tpl) => tpl.id === value.template_id)) : undefined;
  const channelId = picked ?? holder?.id ?? (whatsapp.length === 1 ? (whatsapp[0]?.id ?? null) : null);
  const index = whatsapp.findIndex((c) => c.id === channelId);
  const templates = index >= 0 ? lists[index] : undefined;
  const approved = (templates?.data ?? []).filter((tpl) => tpl.status.toUpperCase() === "APPROVED");
  const chosen = value ? (templates?.data ?? []).find((tpl) => tpl.id === value.template_id) : undefined;
  const parameters = chosen && value ? sizedParameters(chosen.body, value.parameters) : (value?.parameters ?? []);
  if (channels.data && whatsapp.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("workflows.editor.template.noChannel")}
      </Text>
    );
  }
  return (
    <Stack gap="xs" role="group" aria-label={t("workflows.editor.kinds.template")}>
      <Select
        label={t("workflows.editor.template.channel")}
        data={whatsapp.map((c) => ({ value: c.id, label: c.name }))}
        value={channelId}
        allowDeselect={false}
        onChange={(v) => {
          setPicked(v);
          if (v !== channelId) onChange(null);
        }}
      />
      {templates?.error && (
        <Alert color="red" role="alert">
          {templates.error.message}
        </Alert>
      )}
      {channelId && (
        <Select
          label={t("workflows.editor.template.template")}
          description={t("workflows.editor.template.hint")}
          placeholder={templates?.isPending ? t("workflows.editor.template.loading") : undefined}
          nothingFoundMessage={t("workflows.editor.template.none")}
          data={approved.map((tpl) => ({ value: tpl.id, label: `${tpl.name} · ${tpl.language}` }))}
          value={value?.template_id ?? null}
          searchable
          error={error}
          onChange={(id) => {
            const tpl = approved.find((a) => a.id === id);
            onChange(tpl ? { template_id: tpl.id, parameters: sizedParameters(tpl.body, value?.parameters ?? []) } : null);
          }}
        />
      )}
      {templates?.data && approved.length === 0 && (
        <Text size="xs" c="dimmed">
          {t("workflows.editor.template.none")}
        </Text>
      )}
      {chosen && (
        <Paper withBorder p="xs" radius="md">
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {chosen.body}
          </Text>
        </Paper>
      )}
      {value &&
        parameters.map((p, i) => (
          <VariableText
            key={i}
            label={t("workflows.editor.template.parameter", { placeholder: `{{${i + 1}}}`, interpolation: { escapeValue: false } })}
            value={p}
            required
            onChange={(v) => onChange({ ...value, parameters: parameters.map((old, j) => (j === i ? v : old)) })}
          />
        ))}
    </Stack>
  );
}
