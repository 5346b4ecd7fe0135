// A branch case's condition: rows of field / operator / value joined by "and" or "or", written as
// JsonLogic; a rule beyond the rows is edited as JSON. A preview evaluates it against sample data
// with the same library the engine's cases are checked with.
import { ActionIcon, Alert, Autocomplete, Button, Group, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCatalogue } from "./VariableText";
import { type Condition, OPERATORS, type Operator, UNARY, conditionProblems, fromRule, matches, ruleProblems, toRule, typedValue, valueText } from "./rules";
import { sampleData } from "./variables";

type DraftRow = { field: string; operator: Operator; text: string };

function draftOf(condition: Condition): DraftRow[] {
  return condition.rows.map((r) => ({ field: r.field, operator: r.operator, text: valueText(r.value) }));
}

export function ConditionEditor({ rule, onChange, label }: { rule: unknown; onChange: (rule: unknown) => void; label: string }) {
  const { t } = useTranslation();
  const catalogue = useCatalogue();
  const parsed = fromRule(rule);
  const [json, setJson] = useState(parsed === null);
  const [join, setJoin] = useState<"and" | "or">(parsed?.join ?? "and");
  const [rows, setRows] = useState<DraftRow[]>(parsed ? draftOf(parsed) : []);
  const numeric = new Set(catalogue.filter((v) => v.type === "number").map((v) => v.key));
  const fields = [...new Set(catalogue.map((v) => v.key.replace(/^\{\{|\}\}$/g, "")))];

  const condition = (j: "and" | "or", r: DraftRow[]): Condition => ({
    join: j,
    rows: r.map((row) => ({ field: row.field.trim(), operator: row.operator, value: typedValue(row.operator, row.text, numeric.has(row.field)) })),
  });
  const emit = (j: "and" | "or", r: DraftRow[]) => {
    setJoin(j);
    setRows(r);
    onChange(toRule(condition(j, r)));
  };
  const change = (index: number, patch: Partial<DraftRow>) => emit(join, rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const rowProblems = conditionProblems(condition(join, rows));

  return (
    <Stack gap="xs" role="group" aria-label={label}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => {
            const back = fromRule(rule);
            if (json && back) {
              setRows(draftOf(back));
              setJoin(back.join);
            }
            setJson(json && !back ? true : !json);
          }}
        >
          {json ? t("workflows.condition.asRows") : t("workflows.condition.asJson")}
        </Button>
      </Group>
      {json ? (
        <JsonRule rule={rule} onChange={onChange} />
      ) : (
        <>
          {rows.length > 1 && (
            <SegmentedControl
              size="xs"
              aria-label={t("workflows.condition.join")}
              value={join}
              onChange={(v) => emit(v as "and" | "or", rows)}
              data={[
                { value: "and", label: t("workflows.condition.and") },
                { value: "or", label: t("workflows.condition.or") },
              ]}
            />
          )}
          {rows.map((row, index) => (
            <Group key={index} gap={4} align="flex-start" wrap="wrap">
              <Autocomplete
                size="xs"
                style={{ flex: "1 1 140px" }}
                aria-label={t("workflows.condition.field", { n: index + 1 })}
                placeholder={t("workflows.condition.fieldPlaceholder")}
                data={fields}
                value={row.field}
                onChange={(v) => change(index, { field: v })}
                error={rowProblems[index] === "field" ? t("workflows.condition.problem.field") : undefined}
              />
              <Select
                size="xs"
                style={{ flex: "1 1 120px" }}
                aria-label={t("workflows.condition.operator", { n: index + 1 })}
                data={OPERATORS.map((o) => ({ value: o, label: t(`workflows.condition.op.${o}`) }))}
                value={row.operator}
                allowDeselect={false}
                onChange={(v) => v && change(index, { operator: v as Operator })}
              />
              {!UNARY.has(row.operator) && (
                <TextInput
                  size="xs"
                  style={{ flex: "1 1 120px" }}
                  aria-label={t("workflows.condition.value", { n: index + 1 })}
                  placeholder={row.operator === "one_of" ? t("workflows.condition.listPlaceholder") : undefined}
                  value={row.text}
                  onChange={(e) => change(index, { text: e.currentTarget.value })}
                  error={rowProblems[index] === "value" ? t("workflows.condition.problem.value") : undefined}
                />
              )}
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("workflows.condition.removeRow", { n: index + 1 })}
                onClick={() => emit(join, rows.filter((_, i) => i !== index))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Button size="compact-xs" variant="light" onClick={() => emit(join, [...rows, { field: "", operator: "eq", text: "" }])} style={{ alignSelf: "flex-start" }}>
            {t("workflows.condition.addRow")}
          </Button>
        </>
      )}
      <Preview rule={rule} sample={sampleData(catalogue)} />
    </Stack>
  );
}

function JsonRule({ rule, onChange }: { rule: unknown; onChange: (rule: unknown) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => JSON.stringify(rule ?? {}, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <Textarea
      aria-label={t("workflows.condition.json")}
      autosize
      minRows={3}
      maxRows={12}
      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      value={text}
      error={error ?? undefined}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setText(value);
        try {
          const parsed: unknown = JSON.parse(value);
          const problems = ruleProblems(parsed);
          setError(problems.length ? problems.map((p) => t(`workflows.condition.ruleProblem.${p}`)).join(" ") : null);
          if (!problems.length) onChange(parsed);
        } catch {
          setError(t("workflows.condition.notJson"));
        }
      }}
    />
  );
}

function Preview({ rule, sample }: { rule: unknown; sample: Record<string, unknown> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(() => JSON.stringify(sample, null, 2));
  if (!open) {
    return (
      <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)} style={{ alignSelf: "flex-start" }}>
        {t("workflows.condition.try")}
      </Button>
    );
  }
  let data: unknown = null;
  let bad = false;
  try {
    data = JSON.parse(text);
  } catch {
    bad = true;
  }
  const result = !bad && matches(rule, data);
  return (
    <Stack gap={4}>
      <Textarea
        label={t("workflows.condition.sample")}
        autosize
        minRows={3}
        maxRows={10}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        value={text} onChange={(e) => setText(e.currentTarget.value)} />
      <Alert color={bad ? "red" : result ? "teal" : "gray"} p="xs" role="status">
        {bad ? t("workflows.condition.notJson") : result ? t("workflows.condition.matches") : t("workflows.condition.noMatch")}
      </Alert>
    </Stack>
  );
}
