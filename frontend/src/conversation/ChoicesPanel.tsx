// Composing reply buttons or a list under the reply: the choices in order, the list's button and
// section, and live counters against the channel's limits.
import { ActionIcon, Button, CloseButton, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  type ChoiceDraft,
  type ChoiceKind,
  type ChoiceLimits,
  type ChoicesDraft,
  maxChoices,
  moveItem,
  newChoice,
  textLength,
  titleLimit,
} from "./choices";

export function ChoicesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <rect x="3" y="4" width="18" height="5" rx="2" />
      <rect x="3" y="15" width="18" height="5" rx="2" />
    </svg>
  );
}

/** A text field with a live "used/max" counter, in error once past the limit. */
function Counted({
  label,
  value,
  max,
  onChange,
  id,
}: {
  label: string;
  value: string;
  max: number;
  onChange: (value: string) => void;
  id?: string;
}) {
  const used = textLength(value);
  return (
    <TextInput
      size="xs"
      style={{ flex: 1, minWidth: 0 }}
      label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={used > max || undefined}
      id={id}
      rightSectionWidth={52}
      rightSectionPointerEvents="none"
      rightSection={
        <Text size="xs" c={used > max ? "red" : "dimmed"} aria-hidden="true">
          {used}/{max}
        </Text>
      }
    />
  );
}

export function ChoicesPanel({
  draft,
  limits,
  channelType,
  bodyLength,
  onChange,
  onClose,
}: {
  draft: ChoicesDraft;
  limits: ChoiceLimits;
  channelType: string;
  bodyLength: number;
  onChange: (draft: ChoicesDraft) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const most = maxChoices(draft, limits);
  const titleMax = titleLimit(draft, limits);
  const isList = draft.kind === "list";
  const name = (i: number) => (isList ? t("choices.row", { n: i + 1 }) : t("choices.button", { n: i + 1 }));
  const setChoices = (choices: ChoiceDraft[]) => onChange({ ...draft, choices });
  const edit = (i: number, change: Partial<ChoiceDraft>) => setChoices(draft.choices.map((c, j) => (j === i ? { ...c, ...change } : c)));
  const focus = (id: string, fallback?: string) =>
    requestAnimationFrame(() => {
      const wanted = document.getElementById(id);
      (wanted && !wanted.hasAttribute("disabled") ? wanted : fallback ? document.getElementById(fallback) : null)?.focus();
    });
  const move = (from: number, to: number) => {
    const key = draft.choices[from]?.key;
    setChoices(moveItem(draft.choices, from, to));
    // The keyboard stays on the moved choice: on the same arrow, or the other one at an end.
    const [same, other] = to < from ? ["up", "down"] : ["down", "up"];
    focus(`choice-${key}-${same}`, `choice-${key}-${other}`);
  };
  const add = () => {
    const choice = newChoice();
    setChoices([...draft.choices, choice]);
    focus(`choice-${choice.key}-title`);
  };
  const hint = ["telegram", "messenger", "instagram"].includes(channelType) ? t(`choices.hint.${channelType}`) : "";
  return (
    // At most about a third of the screen: the conversation stays in sight above it.
    <Paper withBorder radius="md" p="xs" mb="xs" role="group" aria-label={t("choices.panel")} mah="38dvh" style={{ overflowY: "auto" }}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap={6}>
          <SegmentedControl
            size="xs"
            aria-label={t("choices.kind")}
            value={draft.kind}
            onChange={(kind) => onChange({ ...draft, kind: kind as ChoiceKind, choices: draft.choices.slice(0, maxChoices({ ...draft, kind: kind as ChoiceKind }, limits)) })}
            data={[
              { value: "buttons", label: t("choices.buttons") },
              { value: "list", label: t("choices.list") },
            ]}
          />
          <CloseButton size="sm" aria-label={t("choices.close")} onClick={onClose} />
        </Group>
        <Text size="xs" c={bodyLength > limits.body ? "red" : "dimmed"}>
          {t("choices.bodyHelp", { used: bodyLength, max: limits.body })}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
        {isList && (
          <SimpleGrid cols={2} spacing={6}>
            <Counted
              label={t("choices.label")}
              value={draft.buttonLabel}
              max={limits.buttonLabel}
              onChange={(buttonLabel) => onChange({ ...draft, buttonLabel })}
            />
            <Counted
              label={t("choices.section")}
              value={draft.sectionTitle}
              max={limits.sectionTitle}
              onChange={(sectionTitle) => onChange({ ...draft, sectionTitle })}
            />
          </SimpleGrid>
        )}
        <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: "none" }}>
          {draft.choices.map((c, i) => (
            <li key={c.key}>
              <Group gap={4} align="flex-end" wrap="nowrap">
                <Counted id={`choice-${c.key}-title`} label={name(i)} value={c.title} max={titleMax} onChange={(title) => edit(i, { title })} />
                <ActionIcon
                  id={`choice-${c.key}-up`}
                  variant="subtle"
                  size="md"
                  aria-label={t("choices.moveUp", { name: name(i) })}
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                >
                  ↑
                </ActionIcon>
                <ActionIcon
                  id={`choice-${c.key}-down`}
                  variant="subtle"
                  size="md"
                  aria-label={t("choices.moveDown", { name: name(i) })}
                  disabled={i === draft.choices.length - 1}
                  onClick={() => move(i, i + 1)}
                >
                  ↓
                </ActionIcon>
                <ActionIcon variant="subtle" color="red" size="md" aria-label={t("choices.remove", { name: name(i) })} onClick={() => setChoices(draft.choices.filter((_, j) => j !== i))}>
                  ×
                </ActionIcon>
              </Group>
              {isList && (
                <Counted
                  label={t("choices.description", { n: i + 1 })}
                  value={c.description}
                  max={limits.rowDescription}
                  onChange={(description) => edit(i, { description })}
                />
              )}
            </li>
          ))}
        </Stack>
        <Group gap={6}>
          <Button size="compact-xs" variant="light" disabled={draft.choices.length >= most} onClick={add}>
            {isList ? t("choices.addRow") : t("choices.addButton")}
          </Button>
          <Text size="xs" c="dimmed">
            {t("choices.added", { used: draft.choices.length, max: most })}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}
