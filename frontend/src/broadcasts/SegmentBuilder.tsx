// Who a broadcast goes to: tags, lifecycle stages, custom field values and last contact, with
// how many contacts that is now on the chosen channel (and who would be skipped, and why).
import { ActionIcon, Button, Group, MultiSelect, NumberInput, Select, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type Segment, useFields, usePreview, useTags } from "./api";

const STAGES = ["new_lead", "hot_lead", "customer", "lost"] as const;

export function SegmentBuilder({
  segment,
  onChange,
  channelId,
  freeText,
}: {
  segment: Segment;
  onChange: (s: Segment) => void;
  channelId: string | null;
  freeText: boolean;
}) {
  const { t } = useTranslation();
  const tags = useTags();
  const fields = useFields();
  const preview = usePreview(channelId, segment, freeText);
  const rows = segment.fields ?? [];
  const setRow = (i: number, key: string, value: string) => onChange({ ...segment, fields: rows.map((r, j) => (j === i ? { key, value } : r)) });
  const days = (v: string | number) => (typeof v === "number" && v > 0 ? v : null);
  return (
    <Stack gap="sm">
      <MultiSelect
        label={t("broadcasts.segment.tags")}
        data={(tags.data ?? []).filter((tag) => !tag.archived_at).map((tag) => ({ value: tag.id, label: tag.name }))}
        value={segment.tag_ids ?? []}
        onChange={(ids) => onChange({ ...segment, tag_ids: ids })}
        searchable
        clearable
      />
      <MultiSelect
        label={t("broadcasts.segment.lifecycle")}
        data={STAGES.map((s) => ({ value: s, label: t(`broadcasts.stage.${s}`) }))}
        value={segment.lifecycle_stages ?? []}
        onChange={(v) => onChange({ ...segment, lifecycle_stages: v as Segment["lifecycle_stages"] })}
        clearable
      />
      {rows.map((row, i) => (
        <Group key={i} gap="xs" align="flex-end" wrap="nowrap">
          <Select
            label={t("broadcasts.segment.field")}
            data={(fields.data ?? []).map((f) => ({ value: f.key, label: f.label }))}
            value={row.key || null}
            onChange={(key) => setRow(i, key ?? "", row.value)}
            style={{ flex: 1 }}
          />
          <TextInput label={t("broadcasts.segment.value")} value={row.value} onChange={(e) => setRow(i, row.key, e.currentTarget.value)} style={{ flex: 1 }} />
          <ActionIcon variant="subtle" color="red" aria-label={t("broadcasts.segment.removeField")} onClick={() => onChange({ ...segment, fields: rows.filter((_, j) => j !== i) })} mb={4}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button variant="subtle" size="xs" w="fit-content" onClick={() => onChange({ ...segment, fields: [...rows, { key: "", value: "" }] })}>
        {t("broadcasts.segment.addField")}
      </Button>
      <Group grow>
        <NumberInput
          label={t("broadcasts.segment.contactedWithin")}
          min={1}
          value={segment.contacted_within_days ?? ""}
          onChange={(v) => onChange({ ...segment, contacted_within_days: days(v) })}
        />
        <NumberInput
          label={t("broadcasts.segment.notContactedWithin")}
          min={1}
          value={segment.not_contacted_within_days ?? ""}
          onChange={(v) => onChange({ ...segment, not_contacted_within_days: days(v) })}
        />
      </Group>
      {preview.data && (
        <Text size="sm" role="status">
          {t("broadcasts.segment.size", { matching: preview.data.matching, reachable: preview.data.reachable })}
          {Object.entries(preview.data.skipped).map(([reason, n]) => ` · ${t(`broadcasts.reason.${reason}`)}: ${n}`)}
        </Text>
      )}
    </Stack>
  );
}
