// Tags and outcomes: create with a colour, rename, recolour, mark as an outcome, archive, delete.
import { Alert, Badge, Button, Checkbox, ColorSwatch, Group, Modal, Stack, Table, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, unwrap } from "../api/client";
import { adminProblem } from "./adminErrors";
import { Confirm } from "./Confirm";

type Tag = Schemas["TagRead"];
export const TAG_COLORS = ["gray", "red", "orange", "yellow", "lime", "green", "teal", "cyan", "blue", "indigo", "violet", "grape", "pink"];

function useRefreshTags() {
  const queries = useQueryClient();
  return () => {
    void queries.invalidateQueries({ queryKey: ["tags"] });
    void queries.invalidateQueries({ queryKey: ["outcomes"] });
  };
}

/** A tag's colour: one of the palette's names, or a #rrggbb the API accepts too. */
function swatch(color: string): string {
  return color.startsWith("#") ? color : `var(--mantine-color-${color}-6)`;
}

export function ColorPicker({ value, onChange, label }: { value: string; onChange: (color: string) => void; label: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="tag-colour-label">
        {label}
      </Text>
      <Group gap={6} role="radiogroup" aria-label={label}>
        {TAG_COLORS.map((color) => (
          <UnstyledButton
            key={color}
            role="radio"
            aria-checked={value === color}
            aria-label={t(`admin.colors.${color}`)}
            onClick={() => onChange(color)}
            style={{ borderRadius: "50%", outlineOffset: 2, outline: value === color ? "2px solid var(--mantine-color-dark-4)" : undefined }}
          >
            <ColorSwatch color={swatch(color)} size={24} />
          </UnstyledButton>
        ))}
      </Group>
    </Stack>
  );
}

export function Tags() {
  const { t } = useTranslation();
  const tags = useQuery({
    queryKey: ["tags", "all"],
    queryFn: () => unwrap(api.GET("/api/v1/tags", { params: { query: { include_archived: true } } })),
  });
  const refresh = useRefreshTags();
  const archive = useMutation({
    mutationFn: (v: { tag: Tag; archived: boolean }) =>
      unwrap(api.PATCH("/api/v1/tags/{tag_id}", { params: { path: { tag_id: v.tag.id } }, body: { is_archived: v.archived } })),
    onSettled: refresh,
  });
  const [editing, setEditing] = useState<Tag | null>(null);
  const [deleting, setDeleting] = useState<Tag | null>(null);
  const items = tags.data ?? [];
  return (
    <Stack>
      <TagForm />
      {tags.isSuccess && items.length === 0 && <Text c="dimmed">{t("admin.tags.empty")}</Text>}
      {archive.error && <Alert color="red">{adminProblem(t, archive.error, "tag")}</Alert>}
      <Text size="xs" c="dimmed" maw={640}>
        {t("admin.tags.archiveHelp")}
      </Text>
      {items.length > 0 && (
        <Table striped aria-label={t("settings.tags")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.tags.tag")}</Table.Th>
              <Table.Th>{t("admin.tags.kind")}</Table.Th>
              <Table.Th>{t("admin.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((tag) => (
              <Table.Tr key={tag.id}>
                <Table.Td>
                  <Badge color={tag.color} variant="light" tt="none" leftSection={<ColorSwatch color={swatch(tag.color)} size={10} />}>
                    {tag.name}
                  </Badge>
                  {tag.archived_at && (
                    <Badge ml="xs" size="sm" color="gray" variant="outline">
                      {t("admin.archived")}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{tag.is_outcome ? t("admin.tags.outcome") : t("admin.tags.plain")}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => setEditing(tag)} aria-label={t("admin.editOne", { name: tag.name })}>
                      {t("admin.edit")}
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="gray"
                      loading={archive.isPending && archive.variables.tag.id === tag.id}
                      onClick={() => archive.mutate({ tag, archived: !tag.archived_at })}
                      aria-label={t(tag.archived_at ? "admin.restoreOne" : "admin.archiveOne", { name: tag.name })}
                    >
                      {tag.archived_at ? t("admin.restore") : t("admin.archive")}
                    </Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(tag)} aria-label={t("admin.deleteOne", { name: tag.name })}>
                      {t("admin.delete")}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <Modal opened onClose={() => setEditing(null)} title={t("admin.tags.editTitle", { name: editing.name })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
          <TagForm tag={editing} onDone={() => setEditing(null)} />
        </Modal>
      )}
      {deleting && <DeleteTag tag={deleting} onDone={() => setDeleting(null)} />}
    </Stack>
  );
}

/** A new tag's form, or with `tag`, the form that edits it. */
function TagForm({ tag, onDone }: { tag?: Tag; onDone?: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshTags();
  const [name, setName] = useState(tag?.name ?? "");
  const [color, setColor] = useState(tag?.color ?? "gray");
  const [outcome, setOutcome] = useState(tag?.is_outcome ?? false);
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), color, is_outcome: outcome };
      return tag
        ? unwrap(api.PATCH("/api/v1/tags/{tag_id}", { params: { path: { tag_id: tag.id } }, body }))
        : unwrap(api.POST("/api/v1/tags", { body }));
    },
    onSuccess: () => {
      refresh();
      if (!tag) {
        setName("");
        setOutcome(false);
      }
      onDone?.();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" maw={640} aria-label={tag ? t("admin.tags.editTitle", { name: tag.name }) : t("admin.tags.new")}>
      <TextInput
        label={tag ? t("admin.tags.name") : t("settings.tagName")}
        required
        maxLength={80}
        value={name}
        onChange={(e) => {
          setName(e.currentTarget.value);
          if (save.error) save.reset();
        }}
        data-autofocus
      />
      <ColorPicker label={t("admin.tags.color")} value={color} onChange={setColor} />
      {save.error && <Alert color="red">{adminProblem(t, save.error, "tag")}</Alert>}
      <Checkbox label={t("settings.isOutcome")} description={t("admin.tags.outcomeHelp")} checked={outcome} onChange={(e) => setOutcome(e.currentTarget.checked)} />
      <Group justify={tag ? "flex-end" : "flex-start"}>
        {onDone && (
          <Button variant="default" onClick={onDone}>
            {t("admin.cancel")}
          </Button>
        )}
        <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
          {tag ? t("admin.save") : t("admin.tags.create")}
        </Button>
      </Group>
    </Stack>
  );
}

function DeleteTag({ tag, onDone }: { tag: Tag; onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshTags();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/tags/{tag_id}", { params: { path: { tag_id: tag.id } } })),
    onSuccess: () => {
      refresh();
      onDone();
    },
  });
  return (
    <Confirm
      title={t("admin.tags.deleteTitle", { name: tag.name })}
      confirm={t("admin.delete")}
      pending={remove.isPending}
      error={remove.error ? adminProblem(t, remove.error, "tag") : null}
      onConfirm={() => remove.mutate()}
      onCancel={onDone}
    >
      {t("admin.tags.deleteExplained")}
    </Confirm>
  );
}
