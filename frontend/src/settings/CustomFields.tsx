// Custom contact fields (owners and managers): define, relabel, change a list's options, archive, delete.
import { Alert, Badge, Button, Code, Group, Modal, Select, Stack, Table, TagsInput, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { FIELD_KEY, keyFromLabel } from "./fieldKey";

export type FieldDefinition = Schemas["FieldDefinitionRead"];
export type FieldType = Schemas["FieldDefinitionCreate"]["field_type"];
export const FIELD_TYPES: FieldType[] = ["text", "number", "date", "boolean", "select"];

/** The workspace's field definitions, shared by the settings list and the contact panel. */
export function useFieldDefinitions() {
  return useQuery({ queryKey: ["custom-fields"], queryFn: () => unwrap(api.GET("/api/v1/custom-fields")), staleTime: 30_000 });
}

/** The message of an error about one input, when the server named that input. */
function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.message : undefined;
}

/** Every definition, archived ones included, for the settings list. */
function useAllFieldDefinitions() {
  return useQuery({
    queryKey: ["custom-fields", "all"],
    queryFn: () => unwrap(api.GET("/api/v1/custom-fields", { params: { query: { include_archived: true } } })),
  });
}

export function CustomFields() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const fields = useAllFieldDefinitions();
  const archive = useMutation({
    mutationFn: (v: { field: FieldDefinition; archived: boolean }) =>
      unwrap(api.PATCH("/api/v1/custom-fields/{field_id}", { params: { path: { field_id: v.field.id } }, body: { is_archived: v.archived } })),
    onSettled: () => void queries.invalidateQueries({ queryKey: ["custom-fields"] }),
  });
  const [editing, setEditing] = useState<FieldDefinition | null>(null);
  const [deleting, setDeleting] = useState<FieldDefinition | null>(null);
  const items = fields.data ?? [];
  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={640}>
        {t("customFields.intro")}
      </Text>
      <NewField />
      {fields.error && <Alert color="red">{errorMessage(fields.error)}</Alert>}
      {archive.error && <Alert color="red">{errorMessage(archive.error)}</Alert>}
      <Text size="xs" c="dimmed" maw={640}>
        {t("admin.fields.archiveHelp")}
      </Text>
      {fields.isSuccess && items.length === 0 && <Text c="dimmed">{t("customFields.empty")}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
        <Table striped aria-label={t("customFields.title")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("customFields.label")}</Table.Th>
              <Table.Th>{t("customFields.key")}</Table.Th>
              <Table.Th>{t("customFields.type")}</Table.Th>
              <Table.Th>{t("customFields.options")}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t("customFields.actions")}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((field) => (
              <Table.Tr key={field.id}>
                <Table.Td fw={600}>
                  {field.label}
                  {field.archived_at && (
                    <Badge ml="xs" size="sm" color="gray" variant="light">
                      {t("admin.archived")}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code>{field.key}</Code>
                </Table.Td>
                <Table.Td>{t(`customFields.types.${field.field_type}`)}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {field.options.map((option) => (
                      <Badge key={option} variant="light" tt="none">
                        {option}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    <Button size="xs" variant="subtle" onClick={() => setEditing(field)} aria-label={t("customFields.editOne", { label: field.label })}>
                      {t("customFields.edit")}
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="gray"
                      loading={archive.isPending && archive.variables.field.id === field.id}
                      onClick={() => archive.mutate({ field, archived: !field.archived_at })}
                      aria-label={t(field.archived_at ? "admin.restoreOne" : "admin.archiveOne", { name: field.label })}
                    >
                      {field.archived_at ? t("admin.restore") : t("admin.archive")}
                    </Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(field)} aria-label={t("customFields.deleteOne", { label: field.label })}>
                      {t("customFields.delete")}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        </Table.ScrollContainer>
      )}
      {editing && <EditField field={editing} onDone={() => setEditing(null)} />}
      {deleting && <DeleteField field={deleting} onDone={() => setDeleting(null)} />}
    </Stack>
  );
}

function NewField() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [label, setLabel] = useState("");
  const [key, setKey] = useState("");
  const [keyEdited, setKeyEdited] = useState(false);
  const [type, setType] = useState<FieldType>("text");
  const [options, setOptions] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/custom-fields", { body: { key, label: label.trim(), field_type: type, options: type === "select" ? options : [] } })),
    onSuccess: () => {
      setLabel("");
      setKey("");
      setKeyEdited(false);
      setType("text");
      setOptions([]);
      void queries.invalidateQueries({ queryKey: ["custom-fields"] });
    },
  });
  const changeLabel = (value: string) => {
    setLabel(value);
    if (!keyEdited) setKey(keyFromLabel(value));
    if (create.error) create.reset();
  };
  const keyTaken = create.error instanceof ApiError && create.error.status === 409 && create.error.field === "key";
  const keyProblem = key && !FIELD_KEY.test(key) ? t("customFields.keyRule") : keyTaken ? t("admin.errors.taken.field") : fieldError(create.error, "key");
  const optionsProblem = fieldError(create.error, "options");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!FIELD_KEY.test(key) || (type === "select" && options.length === 0)) return;
    create.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" maw={640} aria-label={t("customFields.new")}>
      <Group grow align="flex-start">
        <TextInput label={t("customFields.label")} required maxLength={120} value={label} onChange={(e) => changeLabel(e.currentTarget.value)} />
        <TextInput
          label={t("customFields.key")}
          description={t("customFields.keyHelp")}
          required
          maxLength={64}
          value={key}
          error={keyProblem}
          onChange={(e) => {
            setKey(e.currentTarget.value);
            setKeyEdited(true);
            if (create.error) create.reset();
          }}
        />
      </Group>
      <Group grow align="flex-start">
        <Select
          label={t("customFields.type")}
          data={FIELD_TYPES.map((value) => ({ value, label: t(`customFields.types.${value}`) }))}
          value={type}
          onChange={(value) => setType((value as FieldType | null) ?? "text")}
          allowDeselect={false}
        />
        {type === "select" && (
          <TagsInput
            label={t("customFields.options")}
            description={t("customFields.optionsHelp")}
            required
            value={options}
            onChange={setOptions}
            error={optionsProblem}
            maxTags={100}
          />
        )}
      </Group>
      <Button type="submit" w="fit-content" loading={create.isPending} disabled={type === "select" && options.length === 0}>
        {t("customFields.add")}
      </Button>
      {create.error && !fieldError(create.error, "key") && !optionsProblem && <Alert color="red">{errorMessage(create.error)}</Alert>}
    </Stack>
  );
}

function EditField({ field, onDone }: { field: FieldDefinition; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [label, setLabel] = useState(field.label);
  const [options, setOptions] = useState<string[]>(field.options);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH("/api/v1/custom-fields/{field_id}", {
          params: { path: { field_id: field.id } },
          body: field.field_type === "select" ? { label: label.trim(), options } : { label: label.trim() },
        }),
      ),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["custom-fields"] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onDone} title={t("customFields.editTitle", { label: field.label })}>
      <Stack component="form" onSubmit={submit} gap="sm">
        <TextInput label={t("customFields.label")} required maxLength={120} value={label} onChange={(e) => setLabel(e.currentTarget.value)} data-autofocus />
        <Text size="sm" c="dimmed">
          {t("customFields.fixed", { key: field.key, type: t(`customFields.types.${field.field_type}`) })}
        </Text>
        {field.field_type === "select" && (
          <TagsInput
            label={t("customFields.options")}
            description={t("customFields.optionsKept")}
            required
            value={options}
            onChange={setOptions}
            error={fieldError(save.error, "options")}
            maxTags={100}
          />
        )}
        {save.error && !fieldError(save.error, "options") && <Alert color="red">{errorMessage(save.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("customFields.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!label.trim() || (field.field_type === "select" && options.length === 0)}>
            {t("customFields.save")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function DeleteField({ field, onDone }: { field: FieldDefinition; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/custom-fields/{field_id}", { params: { path: { field_id: field.id } } })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["custom-fields"] });
      void queries.invalidateQueries({ queryKey: ["contact"] });
      onDone();
    },
  });
  return (
    <Modal opened onClose={onDone} title={t("customFields.deleteTitle", { label: field.label })}>
      <Stack gap="sm">
        <Text size="sm">{t("customFields.deleteWarning")}</Text>
        {remove.error && <Alert color="red">{errorMessage(remove.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} data-autofocus>
            {t("customFields.cancel")}
          </Button>
          <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
            {t("customFields.confirmDelete")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
