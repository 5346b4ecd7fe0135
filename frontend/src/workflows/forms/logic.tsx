// Settings of the steps that decide and wait: branch on conditions (cases in order, then else),
// business hours, a date and time window, wait, jump to a step, start another workflow.
import { ActionIcon, Button, Checkbox, Chip, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePickers } from "../api";
import { ConditionEditor } from "../ConditionEditor";
import { type FormProps, ids, nextId, num, str, useCheck } from "./common";
import { localToOffsetIso, offsetIsoToLocal } from "./sending";

type Case = { id: string; label: string; rule: unknown };

export function BranchForm({ step, set, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const cases = (Array.isArray(step.config.cases) ? step.config.cases : []) as Case[];
  const setCase = (index: number, patch: Partial<Case>) => set("cases", cases.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  return (
    <Stack gap="sm">
      <Text size="xs" c="dimmed">
        {t("workflows.editor.casesHint")}
      </Text>
      {cases.map((item, index) => (
        <Paper key={`${step.id}:${item.id}`} withBorder p="xs">
          <Stack gap="xs">
            <Group gap={4} wrap="nowrap">
              <TextInput
                size="xs"
                style={{ flex: 1 }}
                label={t("workflows.editor.caseLabel", { n: index + 1 })}
                value={item.label}
                onChange={(e) => setCase(index, { label: e.currentTarget.value })}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mt={18}
                aria-label={t("workflows.editor.removeCase", { n: index + 1 })}
                onClick={() => set("cases", cases.filter((_, i) => i !== index))}
              >
                ×
              </ActionIcon>
            </Group>
            <ConditionEditor label={t("workflows.editor.caseCondition", { n: index + 1 })} rule={item.rule} onChange={(rule) => setCase(index, { rule })} />
          </Stack>
        </Paper>
      ))}
      <Button
        size="compact-xs"
        variant="light"
        style={{ alignSelf: "flex-start" }}
        disabled={cases.length >= 20}
        onClick={() => set("cases", [...cases, { id: nextId("case_", cases.map((c) => c.id)), label: "", rule: { and: [] } }])}
      >
        {t("workflows.editor.addCase")}
      </Button>
      {check("cases") && (
        <Text size="xs" c="red.7">
          {check("cases")}
        </Text>
      )}
    </Stack>
  );
}

export function BusinessHoursForm({ step, set }: FormProps) {
  const { t } = useTranslation();
  const pickers = usePickers();
  return (
    <Select
      label={t("workflows.editor.hoursOf")}
      placeholder={t("workflows.editor.conversationTeam")}
      description={t("workflows.editor.hoursHint")}
      data={pickers.teams}
      clearable
      value={str(step.config.team_id) || null}
      onChange={(v) => set("team_id", v)}
    />
  );
}

export function DateBranchForm({ step, set }: FormProps) {
  const { t, i18n } = useTranslation();
  const c = step.config;
  // 0 is Monday, as the engine counts; 2024-01-01 was a Monday.
  const dayName = (d: number) => new Intl.DateTimeFormat(i18n.language, { weekday: "short" }).format(new Date(Date.UTC(2024, 0, 1 + d)));
  return (
    <Stack gap="sm">
      <Stack gap={4} role="group" aria-label={t("workflows.editor.weekdays")}>
        <Text size="sm" fw={500}>
          {t("workflows.editor.weekdays")}
        </Text>
        <Chip.Group multiple value={ids(c.weekdays)} onChange={(v) => set("weekdays", v.map(Number).sort())}>
          <Group gap={4}>
            {[0, 1, 2, 3, 4, 5, 6].map((d) => (
              <Chip key={d} value={String(d)} size="xs">
                {dayName(d)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Stack>
      <Group grow>
        <TextInput type="time" label={t("workflows.editor.fromTime")} value={str(c.from_time)} onChange={(e) => set("from_time", e.currentTarget.value || null)} />
        <TextInput type="time" label={t("workflows.editor.toTime")} value={str(c.to_time)} onChange={(e) => set("to_time", e.currentTarget.value || null)} />
      </Group>
      <Group grow>
        <TextInput type="date" label={t("workflows.editor.fromDate")} value={str(c.from_date)} onChange={(e) => set("from_date", e.currentTarget.value || null)} />
        <TextInput type="date" label={t("workflows.editor.toDate")} value={str(c.to_date)} onChange={(e) => set("to_date", e.currentTarget.value || null)} />
      </Group>
      <TextInput
        label={t("workflows.editor.timezone")}
        placeholder={t("workflows.editor.workspaceZone")}
        value={str(c.timezone)}
        onChange={(e) => set("timezone", e.currentTarget.value || null)}
      />
    </Stack>
  );
}

// A wait lasts a number of minutes or until a time, typed in the browser's time zone and stored
// with its offset (the engine wants one or the other).
export function WaitForm({ step, setConfig, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const c = step.config;
  const mode = c.until !== undefined && c.until !== null ? "until" : "for";
  const [typed, setTyped] = useState(() => offsetIsoToLocal(str(c.until)));
  const { minutes: _m, until: _u, ...rest } = c;
  return (
    <Stack gap="sm">
      <SegmentedControl
        size="xs"
        aria-label={t("workflows.editor.waitMode")}
        value={mode}
        onChange={(next) => {
          setTyped("");
          setConfig(next === "until" ? { ...rest, until: "" } : { ...rest, minutes: null });
        }}
        data={(["for", "until"] as const).map((m) => ({ value: m, label: t(`workflows.editor.waitModes.${m}`) }))}
      />
      {mode === "for" ? (
        <NumberInput
          label={t("workflows.editor.waitMinutes")}
          min={1}
          max={129600}
          value={num(c.minutes)}
          onChange={(v) => setConfig({ ...rest, minutes: typeof v === "number" ? v : null })}
          error={check("minutes")}
        />
      ) : (
        <TextInput
          type="datetime-local"
          label={t("workflows.editor.waitUntil")}
          description={t("workflows.editor.waitUntilHint", { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
          value={typed}
          onChange={(e) => {
            const local = e.currentTarget.value;
            setTyped(local);
            setConfig({ ...rest, until: localToOffsetIso(local) ?? "" });
          }}
          error={check("until") ?? check("minutes")}
          required
        />
      )}
    </Stack>
  );
}

export function JumpForm({ step, set, definition, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  return (
    <Select
      label={t("workflows.editor.jumpTo")}
      data={definition.steps.filter((s) => s.id !== step.id).map((s) => ({ value: s.id, label: s.name || `${t(`workflows.step.${s.type}`)} · ${s.id}` }))}
      value={str(step.config.target) || null}
      onChange={(v) => set("target", v)}
      error={check("target")}
      searchable
    />
  );
}

export function StartWorkflowForm({ step, set, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const pickers = usePickers();
  return (
    <Stack gap="sm">
      <Select
        label={t("workflows.editor.workflow")}
        data={pickers.workflows}
        value={str(step.config.workflow_id) || null}
        onChange={(v) => set("workflow_id", v)}
        error={check("workflow_id")}
        searchable
      />
      <Checkbox label={t("workflows.editor.passVars")} checked={step.config.pass_vars !== false} onChange={(e) => set("pass_vars", e.currentTarget.checked)} />
    </Stack>
  );
}
