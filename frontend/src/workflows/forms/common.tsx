// What every step's settings form shares: its props, a setter per config key, and a small editor
// for key → value rows (HTTP headers, response fields into variables).
import { ActionIcon, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Config, Definition, Step } from "../definition";

export interface FormProps {
  step: Step;
  definition: Definition;
  /** Messages by config key (`workflows.check.*` keys). */
  problems: Record<string, string>;
  set: (key: string, value: unknown) => void;
  setConfig: (config: Config) => void;
}

export function useCheck(problems: Record<string, string>) {
  const { t } = useTranslation();
  return (field: string) => (problems[field] ? t(`workflows.check.${problems[field]}`) : undefined);
}

export function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

export function num(value: unknown): number | "" {
  return typeof value === "number" ? value : "";
}

export function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The next free id like "opt_3" among `taken`. */
export function nextId(prefix: string, taken: readonly string[]): string {
  for (let n = taken.length + 1; ; n += 1) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

interface PairsProps {
  label: string;
  keyLabel: string;
  valueLabel: string;
  value: Record<string, string>;
  onChange: (value: Record<string, string>) => void;
}

export function KeyValueRows({ label, keyLabel, valueLabel, value, onChange }: PairsProps) {
  const { t } = useTranslation();
  const rows = Object.entries(value);
  const write = (next: [string, string][]) => onChange(Object.fromEntries(next));
  return (
    <Stack gap={4} role="group" aria-label={label}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {rows.map(([k, v], index) => (
        <Group key={index} gap={4} wrap="nowrap">
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            aria-label={`${keyLabel} ${index + 1}`}
            placeholder={keyLabel}
            value={k}
            onChange={(e) => write(rows.map((r, i) => (i === index ? [e.currentTarget.value, r[1]] : r)))}
          />
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            aria-label={`${valueLabel} ${index + 1}`}
            placeholder={valueLabel}
            value={v}
            onChange={(e) => write(rows.map((r, i) => (i === index ? [r[0], e.currentTarget.value] : r)))}
          />
          <ActionIcon variant="subtle" color="red" aria-label={t("workflows.editor.removeRow", { n: index + 1 })} onClick={() => write(rows.filter((_, i) => i !== index))}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button size="compact-xs" variant="light" style={{ alignSelf: "flex-start" }} onClick={() => write([...rows, ["", ""]])} disabled={"" in value}>
        {t("workflows.editor.addRow")}
      </Button>
    </Stack>
  );
}
