// Settings → Quality: the spot-check sampling (weekly, per agent, more for new agents) and the
// scorecards: weighted categories of yes/no, yes/no/partial or 1–5 items, critical items, in the
// order they are scored, with each category's share of the maximum score. Saving a scorecard
// that reviews already used keeps the old one for them and makes a new version.
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { QUALITY_KEY, useQualitySettings, useScorecards } from "./api";
import { type ItemKind, type Scorecard, moved, shares } from "./score";

type Draft = Schemas["ScorecardInput"];
type DraftCategory = Draft["categories"][number];
type DraftItem = DraftCategory["items"][number];

const KINDS: ItemKind[] = ["yes_no", "yes_no_partial", "scale"];

function blankItem(): DraftItem {
  return { label: "", description: "", kind: "yes_no", is_critical: false };
}

function blankCategory(): DraftCategory {
  return { name: "", weight: 1, items: [blankItem()] };
}

export function draftFrom(card: Scorecard | null): Draft {
  if (!card) return { name: "", description: "", categories: [blankCategory()] };
  return {
    name: card.name,
    description: card.description,
    categories: card.categories.map((c) => ({
      name: c.name,
      weight: c.weight,
      items: c.items.map((i) => ({ label: i.label, description: i.description, kind: i.kind, is_critical: i.is_critical })),
    })),
  };
}

export function QualitySettingsPanel() {
  const { t } = useTranslation();
  const cards = useScorecards();
  const [editing, setEditing] = useState<Scorecard | "new" | null>(null);
  return (
    <Stack gap="lg">
      <SamplingForm />
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t("quality.scorecards.title")}
          </Title>
          {editing === null && <Button onClick={() => setEditing("new")}>{t("quality.scorecards.new")}</Button>}
        </Group>
        {cards.error && <Alert color="red">{errorMessage(cards.error)}</Alert>}
        {editing !== null ? (
          <Editor card={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
        ) : (
          (cards.data ?? []).map((card) => (
            <Paper key={card.id} withBorder p="sm">
              <Group justify="space-between" wrap="wrap">
                <Stack gap={2}>
                  <Text fw={600}>{card.name}</Text>
                  <Text size="sm" c="dimmed">
                    {t("quality.scorecards.summary", {
                      categories: card.categories.length,
                      items: card.categories.reduce((n, c) => n + c.items.length, 0),
                      version: card.version,
                    })}
                  </Text>
                </Stack>
                <Button variant="light" onClick={() => setEditing(card)} aria-label={t("quality.scorecards.editNamed", { name: card.name })}>
                  {t("quality.scorecards.edit")}
                </Button>
              </Group>
            </Paper>
          ))
        )}
        {cards.data?.length === 0 && editing === null && <Text c="dimmed">{t("quality.scorecards.none")}</Text>}
      </Stack>
    </Stack>
  );
}

function SamplingForm() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const stored = useQualitySettings();
  const [form, setForm] = useState<Schemas["QualitySettings"] | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (stored.data) setForm(stored.data);
  }, [stored.data]);
  const save = useMutation({
    mutationFn: (body: Schemas["QualitySettings"]) => unwrap(api.PUT("/api/v1/quality/settings", { body })),
    onSuccess: (data) => {
      queries.setQueryData([...QUALITY_KEY, "settings"], data);
      setSaved(true);
    },
  });
  if (!form) return null;
  const change = (patch: Partial<Schemas["QualitySettings"]>) => {
    setSaved(false);
    setForm({ ...form, ...patch });
  };
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t("quality.sampling.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("quality.sampling.intro")}
        </Text>
        <Switch
          label={t("quality.sampling.enabled")}
          checked={form.is_sampling_enabled ?? false}
          onChange={(e) => change({ is_sampling_enabled: e.currentTarget.checked })}
        />
        <Group grow wrap="wrap">
          <NumberInput
            label={t("quality.sampling.perAgent")}
            min={0}
            max={50}
            value={form.per_agent ?? 2}
            onChange={(v) => change({ per_agent: Number(v) || 0 })}
          />
          <NumberInput
            label={t("quality.sampling.perNewAgent")}
            description={t("quality.sampling.newAgentHelp")}
            min={0}
            max={50}
            value={form.per_new_agent ?? 4}
            onChange={(v) => change({ per_new_agent: Number(v) || 0 })}
          />
        </Group>
        {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
        <Group>
          <Button loading={save.isPending} onClick={() => save.mutate(form)}>
            {t("quality.sampling.save")}
          </Button>
          {saved && (
            <Text size="sm" c="teal" role="status">
              {t("quality.saved")}
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function Editor({ card, onDone }: { card: Scorecard | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftFrom(card));
  const save = useMutation({
    mutationFn: () =>
      card
        ? unwrap(api.PUT("/api/v1/quality/scorecards/{scorecard_id}", { params: { path: { scorecard_id: card.id } }, body: draft }))
        : unwrap(api.POST("/api/v1/quality/scorecards", { body: draft })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: QUALITY_KEY });
      onDone();
    },
  });
  const archive = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/quality/scorecards/{scorecard_id}/archive", { params: { path: { scorecard_id: card?.id ?? "" } } })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: QUALITY_KEY });
      onDone();
    },
  });
  const setCategory = (index: number, next: DraftCategory) =>
    setDraft({ ...draft, categories: draft.categories.map((c, i) => (i === index ? next : c)) });
  const percent = shares(draft.categories.map((c) => c.weight));
  const maximum = draft.categories.reduce((n, c) => n + (c.weight > 0 ? c.weight : 0), 0);
  return (
    <Card withBorder p="md">
      <Stack gap="md">
        {card?.is_used && (
          <Alert color="blue" role="note">
            {t("quality.scorecards.usedNotice")}
          </Alert>
        )}
        <TextInput label={t("quality.scorecards.name")} required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
        <TextInput
          label={t("quality.scorecards.description")}
          value={draft.description ?? ""}
          onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
        />
        {draft.categories.map((category, index) => (
          <CategoryEditor
            key={index}
            index={index}
            count={draft.categories.length}
            category={category}
            share={percent[index] ?? 0}
            onChange={(next) => setCategory(index, next)}
            onMove={(step) => setDraft({ ...draft, categories: moved(draft.categories, index, step) })}
            onRemove={() => setDraft({ ...draft, categories: draft.categories.filter((_, i) => i !== index) })}
          />
        ))}
        <Group justify="space-between" wrap="wrap">
          <Button variant="light" onClick={() => setDraft({ ...draft, categories: [...draft.categories, blankCategory()] })}>
            {t("quality.scorecards.addCategory")}
          </Button>
          <Text fw={600} role="status" aria-live="polite">
            {t("quality.scorecards.maximum", { points: maximum })}
          </Text>
        </Group>
        {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
        <Group>
          <Button loading={save.isPending} onClick={() => save.mutate()}>
            {t("quality.scorecards.save")}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t("quality.cancel")}
          </Button>
          {card && (
            <Button variant="subtle" color="red" loading={archive.isPending} onClick={() => archive.mutate()}>
              {t("quality.scorecards.archive")}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function CategoryEditor(props: {
  index: number;
  count: number;
  category: DraftCategory;
  share: number;
  onChange: (next: DraftCategory) => void;
  onMove: (step: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { index, count, category, share, onChange } = props;
  const n = index + 1;
  const setItem = (i: number, item: DraftItem) => onChange({ ...category, items: category.items.map((x, j) => (j === i ? item : x)) });
  return (
    <Paper withBorder p="sm" bg="gray.0" aria-label={t("quality.scorecards.categoryN", { n })} component="section">
      <Stack gap="xs">
        <Group align="flex-end" wrap="wrap" gap="xs">
          <TextInput
            style={{ flex: 2, minWidth: 160 }}
            label={t("quality.scorecards.categoryName", { n })}
            value={category.name}
            onChange={(e) => onChange({ ...category, name: e.currentTarget.value })}
          />
          <NumberInput
            style={{ flex: 1, minWidth: 100 }}
            label={t("quality.scorecards.weight", { n })}
            min={1}
            max={100}
            value={category.weight}
            onChange={(v) => onChange({ ...category, weight: Number(v) || 0 })}
          />
          <Badge variant="light" size="lg">
            {t("quality.scorecards.share", { share })}
          </Badge>
          <Group gap={4}>
            <ActionIcon variant="subtle" disabled={index === 0} onClick={() => props.onMove(-1)} aria-label={t("quality.scorecards.categoryUp", { n })}>
              ↑
            </ActionIcon>
            <ActionIcon variant="subtle" disabled={index === count - 1} onClick={() => props.onMove(1)} aria-label={t("quality.scorecards.categoryDown", { n })}>
              ↓
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" disabled={count === 1} onClick={props.onRemove} aria-label={t("quality.scorecards.removeCategory", { n })}>
              ×
            </ActionIcon>
          </Group>
        </Group>
        {category.items.map((item, i) => (
          <Group key={i} align="flex-end" wrap="wrap" gap="xs" pl="md">
            <TextInput
              style={{ flex: 3, minWidth: 180 }}
              label={t("quality.scorecards.itemLabel", { n, m: i + 1 })}
              value={item.label}
              onChange={(e) => setItem(i, { ...item, label: e.currentTarget.value })}
            />
            <Select
              style={{ flex: 1, minWidth: 140 }}
              label={t("quality.scorecards.itemKind", { n, m: i + 1 })}
              data={KINDS.map((k) => ({ value: k, label: t(`quality.kinds.${k}`) }))}
              value={item.kind}
              allowDeselect={false}
              onChange={(v) => v && setItem(i, { ...item, kind: v as ItemKind })}
            />
            <Switch
              label={t("quality.scorecards.critical")}
              aria-label={t("quality.scorecards.criticalN", { n, m: i + 1 })}
              checked={item.is_critical ?? false}
              onChange={(e) => setItem(i, { ...item, is_critical: e.currentTarget.checked })}
            />
            <Group gap={4}>
              <ActionIcon
                variant="subtle"
                disabled={i === 0}
                onClick={() => onChange({ ...category, items: moved(category.items, i, -1) })}
                aria-label={t("quality.scorecards.itemUp", { n, m: i + 1 })}
              >
                ↑
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                disabled={i === category.items.length - 1}
                onClick={() => onChange({ ...category, items: moved(category.items, i, 1) })}
                aria-label={t("quality.scorecards.itemDown", { n, m: i + 1 })}
              >
                ↓
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                color="red"
                disabled={category.items.length === 1}
                onClick={() => onChange({ ...category, items: category.items.filter((_, j) => j !== i) })}
                aria-label={t("quality.scorecards.removeItem", { n, m: i + 1 })}
              >
                ×
              </ActionIcon>
            </Group>
          </Group>
        ))}
        <Button size="xs" variant="subtle" w="fit-content" onClick={() => onChange({ ...category, items: [...category.items, blankItem()] })}>
          {t("quality.scorecards.addItem", { n })}
        </Button>
      </Stack>
    </Paper>
  );
}
