// Settings of the steps that talk to the customer: send a message (text with files, reply
// buttons, a list, a WhatsApp template or the survey), ask a question (answer type, options with their routes, where the answer is saved,
// retries and timeout), an internal note and the hand-over to people.
import { ActionIcon, Autocomplete, Button, Checkbox, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { usePickers } from "../api";
import { VariableText, useCatalogue } from "../VariableText";
import { type FormProps, ids, nextId, num, str, useCheck } from "./common";
import { MessageFiles } from "./files";
import { MESSAGE_KINDS, configForKind, messageKind, templateOf } from "./sending";
import { TemplateFields } from "./template";

type Choice = { id: string; title: string; description?: string };
// `route` makes the option a chat route: its key and label are what the routing report counts.
type Option = { id: string; title: string; keywords?: string[]; route?: { key?: string; label?: string } | null };

function choices(value: unknown): Choice[] {
  return Array.isArray(value) ? (value as Choice[]) : [];
}

function ChoiceRows({ label, items, onChange, max }: { label: string; items: Choice[]; onChange: (items: Choice[]) => void; max: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} role="group" aria-label={label}>
      {items.map((item, index) => (
        <Group key={item.id} gap={4} wrap="nowrap">
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            aria-label={t("workflows.editor.choiceTitle", { n: index + 1 })}
            value={item.title}
            onChange={(e) => onChange(items.map((c, i) => (i === index ? { ...c, title: e.currentTarget.value } : c)))}
          />
          <ActionIcon variant="subtle" color="red" aria-label={t("workflows.editor.removeChoice", { n: index + 1 })} onClick={() => onChange(items.filter((_, i) => i !== index))}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button
        size="compact-xs"
        variant="light"
        style={{ alignSelf: "flex-start" }}
        disabled={items.length >= max}
        onClick={() => onChange([...items, { id: nextId("b", items.map((c) => c.id)), title: "" }])}
      >
        {t("workflows.editor.addChoice")}
      </Button>
    </Stack>
  );
}

export function SendMessageForm({ step, set, setConfig, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const c = step.config;
  const list = (c.list ?? null) as { button_label?: string; sections?: { title?: string | null; rows: Choice[] }[] } | null;
  const kind = messageKind(c);
  const setKind = (next: string) => setConfig(configForKind(c, next as (typeof MESSAGE_KINDS)[number], t("workflows.editor.listButtonDefault")));
  const rows = list?.sections?.[0]?.rows ?? [];
  return (
    <Stack gap="sm">
      {kind === "survey" ? (
        <Text size="sm" c="dimmed">
          {t("workflows.editor.surveyHint")}
        </Text>
      ) : kind === "template" ? null : (
        <VariableText label={t("workflows.editor.text")} value={str(c.text)} onChange={(v) => set("text", v)} multiline error={check("text")} />
      )}
      <SegmentedControl
        size="xs"
        aria-label={t("workflows.editor.kind")}
        value={kind}
        onChange={setKind}
        data={MESSAGE_KINDS.map((k) => ({ value: k, label: t(`workflows.editor.kinds.${k}`) }))}
        style={{ maxWidth: "100%", overflowX: "auto" }}
      />
      {kind === "template" && <TemplateFields value={templateOf(c)} onChange={(v) => set("template", v)} error={check("template")} />}
      {kind === "text" && <MessageFiles ids={ids(c.attachment_ids)} onChange={(v) => set("attachment_ids", v.length > 0 ? v : undefined)} />}
      {kind === "buttons" && (
        <>
          <ChoiceRows label={t("workflows.editor.kinds.buttons")} items={choices(c.buttons)} onChange={(v) => set("buttons", v)} max={10} />
          {check("buttons") && (
            <Text size="xs" c="red.7">
              {check("buttons")}
            </Text>
          )}
        </>
      )}
      {kind === "list" && list && (
        <>
          <TextInput
            label={t("workflows.editor.listButton")}
            value={str(list.button_label)}
            onChange={(e) => set("list", { ...list, button_label: e.currentTarget.value })}
          />
          <ChoiceRows
            label={t("workflows.editor.kinds.list")}
            items={rows}
            max={10}
            onChange={(v) => set("list", { ...list, sections: [{ title: list.sections?.[0]?.title ?? null, rows: v.map((r) => ({ ...r, id: r.id.replace(/^b/, "r") })) }] })}
          />
        </>
      )}
    </Stack>
  );
}

const ANSWER_TYPES = ["text", "number", "email", "phone", "cpf", "date", "choice", "file"] as const;

export function AskQuestionForm({ step, set, setConfig, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  const pickers = usePickers();
  const catalogue = useCatalogue();
  const c = step.config;
  const options = (Array.isArray(c.options) ? c.options : []) as Option[];
  const setOption = (index: number, patch: Partial<Option>) => set("options", options.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  const targets = [
    "contact.name",
    "contact.email",
    "contact.phone",
    ...pickers.fields.map((f) => `contact.fields.${f.value}`),
    ...catalogue.map((v) => v.key).filter((k) => k.startsWith("vars.")),
  ];
  return (
    <Stack gap="sm">
      <VariableText label={t("workflows.editor.question")} value={str(c.text)} onChange={(v) => set("text", v)} multiline error={check("text")} required />
      <Select
        label={t("workflows.editor.answerType")}
        data={ANSWER_TYPES.map((a) => ({ value: a, label: t(`workflows.editor.answer.${a}`) }))}
        value={str(c.answer_type, "text")}
        allowDeselect={false}
        onChange={(v) => v && setConfig({ ...c, answer_type: v, options: v === "choice" ? options : [] })}
      />
      {c.answer_type === "choice" && (
        <Stack gap="xs" role="group" aria-label={t("workflows.editor.options")}>
          <Text size="sm" fw={500}>
            {t("workflows.editor.options")}
          </Text>
          {options.map((option, index) => (
            <Paper key={option.id} withBorder p="xs">
              <Stack gap={4}>
                <Group gap={4} wrap="nowrap">
                  <Text size="xs" c="dimmed" w={20}>
                    {index + 1}
                  </Text>
                  <TextInput
                    size="xs"
                    style={{ flex: 1 }}
                    aria-label={t("workflows.editor.optionTitle", { n: index + 1 })}
                    value={option.title}
                    onChange={(e) => {
                      const title = e.currentTarget.value;
                      setOption(index, { title, route: option.route ? { ...option.route, label: title } : option.route });
                    }}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t("workflows.editor.removeOption", { n: index + 1 })}
                    onClick={() => set("options", options.filter((_, i) => i !== index))}
                  >
                    ×
                  </ActionIcon>
                </Group>
                <TextInput
                  size="xs"
                  aria-label={t("workflows.editor.optionKeywords", { n: index + 1 })}
                  placeholder={t("workflows.editor.keywordsPlaceholder")}
                  value={(option.keywords ?? []).join(", ")}
                  onChange={(e) => setOption(index, { keywords: e.currentTarget.value.split(",").map((k) => k.trim()).filter(Boolean) })}
                />
                <Checkbox
                  size="xs"
                  label={t("workflows.editor.optionRoute")}
                  description={t("workflows.editor.optionRouteHint")}
                  checked={Boolean(option.route)}
                  onChange={(e) => setOption(index, { route: e.currentTarget.checked ? { key: option.id, label: option.title } : null })}
                />
              </Stack>
            </Paper>
          ))}
          <Button
            size="compact-xs"
            variant="light"
            style={{ alignSelf: "flex-start" }}
            disabled={options.length >= 10}
            onClick={() => set("options", [...options, { id: nextId("", options.map((o) => o.id)), title: "", keywords: [] }])}
          >
            {t("workflows.editor.addOption")}
          </Button>
          {check("options") && (
            <Text size="xs" c="red.7">
              {check("options")}
            </Text>
          )}
          <Select
            label={t("workflows.editor.showOptions")}
            data={(["auto", "buttons", "list", "text"] as const).map((s) => ({ value: s, label: t(`workflows.editor.show.${s}`) }))}
            value={str(c.show_options, "auto")}
            allowDeselect={false}
            onChange={(v) => v && set("show_options", v)}
          />
        </Stack>
      )}
      <Autocomplete
        label={t("workflows.editor.saveTo")}
        description={t("workflows.editor.saveToHint")}
        data={targets}
        value={str(c.save_to)}
        onChange={(v) => set("save_to", v || null)}
        error={check("save_to")}
      />
      <VariableText label={t("workflows.editor.invalidText")} value={str(c.invalid_text)} onChange={(v) => set("invalid_text", v || undefined)} placeholder={t("workflows.editor.invalidTextDefault")} />
      <Group grow>
        <NumberInput label={t("workflows.editor.maxAttempts")} min={1} max={10} value={num(c.max_attempts)} onChange={(v) => set("max_attempts", typeof v === "number" ? v : 3)} />
        <NumberInput
          label={t("workflows.editor.timeoutMinutes")}
          min={1}
          max={43200}
          value={num(c.timeout_minutes)}
          onChange={(v) => set("timeout_minutes", typeof v === "number" ? v : null)}
        />
      </Group>
    </Stack>
  );
}

export function NoteForm({ step, set, problems }: FormProps) {
  const { t } = useTranslation();
  const check = useCheck(problems);
  return <VariableText label={t("workflows.editor.note")} value={str(step.config.text)} onChange={(v) => set("text", v)} multiline error={check("text")} required />;
}

export function HandoverForm({ step, set }: FormProps) {
  const { t } = useTranslation();
  const pickers = usePickers();
  return (
    <Stack gap="sm">
      <VariableText label={t("workflows.editor.handoverText")} value={str(step.config.text)} onChange={(v) => set("text", v)} multiline />
      <Select
        label={t("workflows.editor.team")}
        placeholder={t("workflows.editor.conversationTeam")}
        data={pickers.teams}
        clearable
        value={str(step.config.team_id) || null}
        onChange={(v) => set("team_id", v)}
      />
    </Stack>
  );
}
