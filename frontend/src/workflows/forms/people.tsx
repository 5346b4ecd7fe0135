// Settings of the steps that change the conversation or the contact: assign, tag or untag,
// update a field or the lifecycle stage, open / close / snooze; and the HTTP request.
import { Autocomplete, Group, JsonInput, MultiSelect, NumberInput, SegmentedControl, Select, Stack, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePickers } from "../api";
import { VariableText } from "../VariableText";
import { type FormProps, KeyValueRows, ids, num, str, useCheck } from "./common";

const STAGES = ["new_lead", "hot_lead", "customer", "lost"] as const;

export function AssignForm({ step, set, setConfig, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const pickers = usePickers();
  const c = step.config;
  return (
    <Stack gap="sm">
      <Select
        label={t("workflows.editor.assignTo")}
        data={(["team", "agent", "owner", "previous_agent"] as const).map((v) => ({ value: v, label: t(`workflows.editor.assignee.${v}`) }))}
        value={str(c.to, "team")}
        allowDeselect={false}
        onChange={(v) => v && setConfig({ to: v, team_id: v === "team" ? (c.team_id ?? null) : null, user_id: v === "agent" ? (c.user_id ?? null) : null })}
      />
      {c.to === "team" && (
        <Select label={t("workflows.editor.team")} data={pickers.teams} value={str(c.team_id) || null} onChange={(v) => set("team_id", v)} error={check("team_id")} searchable />
      )}
      {c.to === "agent" && (
        <Select label={t("workflows.editor.agent")} data={pickers.agents} value={str(c.user_id) || null} onChange={(v) => set("user_id", v)} error={check("user_id")} searchable />
      )}
    </Stack>
  );
}

export function TagForm({ step, set, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const pickers = usePickers();
  const c = step.config;
  return (
    <Stack gap="sm">
      <SegmentedControl
        aria-label={t("workflows.editor.tagAction")}
        value={str(c.action, "add")}
        onChange={(v) => set("action", v)}
        data={[
          { value: "add", label: t("workflows.editor.tagAdd") },
          { value: "remove", label: t("workflows.editor.tagRemove") },
        ]}
      />
      <SegmentedControl
        aria-label={t("workflows.editor.tagTarget")}
        value={str(c.target, "conversation")}
        onChange={(v) => set("target", v)}
        data={[
          { value: "conversation", label: t("workflows.editor.ofConversation") },
          { value: "contact", label: t("workflows.editor.ofContact") },
        ]}
      />
      <MultiSelect label={t("workflows.editor.tags")} data={pickers.tags} value={ids(c.tag_ids)} onChange={(v) => set("tag_ids", v)} error={check("tag_ids")} searchable />
    </Stack>
  );
}

export function UpdateContactForm({ step, set, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const pickers = usePickers();
  const c = step.config;
  const fields = ["contact.lifecycle_stage", "contact.name", "contact.email", "contact.phone", ...pickers.fields.map((f) => `contact.fields.${f.value}`)];
  return (
    <Stack gap="sm">
      <Autocomplete label={t("workflows.editor.contactField")} data={fields} value={str(c.field)} onChange={(v) => set("field", v)} error={check("field")} />
      {c.field === "contact.lifecycle_stage" ? (
        <Select
          label={t("workflows.editor.value")}
          data={STAGES.map((s) => ({ value: s, label: t(`contact.stages.${s}`) }))}
          value={str(c.value) || null}
          onChange={(v) => set("value", v)}
        />
      ) : (
        <VariableText label={t("workflows.editor.value")} value={str(c.value)} onChange={(v) => set("value", v)} />
      )}
    </Stack>
  );
}

export function SetStatusForm({ step, set, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const c = step.config;
  return (
    <Stack gap="sm">
      <Select
        label={t("workflows.editor.status")}
        data={(["open", "pending", "closed", "snoozed"] as const).map((s) => ({ value: s, label: t(`workflows.editor.statuses.${s}`) }))}
        value={str(c.status, "closed")}
        allowDeselect={false}
        onChange={(v) => v && set("status", v)}
      />
      {c.status === "closed" && <TextInput label={t("workflows.editor.outcome")} value={str(c.outcome)} onChange={(e) => set("outcome", e.currentTarget.value || null)} />}
      {c.status === "snoozed" && (
        <NumberInput
          label={t("workflows.editor.snoozeMinutes")}
          min={1}
          value={num(c.snooze_minutes)}
          onChange={(v) => set("snooze_minutes", typeof v === "number" ? v : null)}
          error={check("snooze_minutes")}
        />
      )}
    </Stack>
  );
}

export function HttpRequestForm({ step, set, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const c = step.config;
  const [body, setBody] = useState(() => (c.body === null || c.body === undefined ? "" : JSON.stringify(c.body, null, 2)));
  const [bodyError, setBodyError] = useState<string | null>(null);
  const record = (value: unknown) => (typeof value === "object" && value !== null ? (value as Record<string, string>) : {});
  return (
    <Stack gap="sm">
      <Select
        label={t("workflows.editor.method")}
        data={["GET", "POST", "PUT", "PATCH", "DELETE"]}
        value={str(c.method, "POST")}
        allowDeselect={false}
        onChange={(v) => v && set("method", v)}
      />
      <VariableText label={t("workflows.editor.url")} value={str(c.url)} onChange={(v) => set("url", v)} error={check("url")} placeholder="https://" required />
      <KeyValueRows
        label={t("workflows.editor.headers")}
        keyLabel={t("workflows.editor.headerName")}
        valueLabel={t("workflows.editor.headerValue")}
        value={record(c.headers)}
        onChange={(v) => set("headers", v)}
      />
      <JsonInput
        label={t("workflows.editor.body")}
        description={t("workflows.editor.bodyHint")}
        autosize
        minRows={3}
        maxRows={12}
        value={body}
        error={bodyError}
        onChange={(text) => {
          setBody(text);
          if (!text.trim()) {
            setBodyError(null);
            set("body", null);
            return;
          }
          try {
            set("body", JSON.parse(text));
            setBodyError(null);
          } catch {
            setBodyError(t("workflows.condition.notJson"));
          }
        }}
      />
      <KeyValueRows
        label={t("workflows.editor.map")}
        keyLabel={t("workflows.editor.mapVariable")}
        valueLabel={t("workflows.editor.mapPath")}
        value={record(c.map)}
        onChange={(v) => set("map", v)}
      />
      <Group grow align="flex-start">
        <NumberInput
          label={t("workflows.editor.timeoutSeconds")}
          min={1}
          max={30}
          clampBehavior="strict"
          value={num(c.timeout_seconds)}
          placeholder="10"
          onChange={(v) => set("timeout_seconds", typeof v === "number" ? v : undefined)}
        />
        <NumberInput
          label={t("workflows.editor.retries")}
          description={t("workflows.editor.retriesHint")}
          min={0}
          max={5}
          allowDecimal={false}
          clampBehavior="strict"
          value={num(c.retries)}
          placeholder="2"
          onChange={(v) => set("retries", typeof v === "number" ? v : undefined)}
        />
      </Group>
    </Stack>
  );
}
