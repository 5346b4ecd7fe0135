// A contact's custom fields, each edited in place with the input its type calls for.
import { Alert, Checkbox, Divider, Select, Stack, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type KeyboardEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { type FieldDefinition, useFieldDefinitions } from "../settings/CustomFields";

type Contact = Schemas["ContactRead"];

export function ContactFields({ contact, canWrite }: { contact: Contact; canWrite: boolean }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const definitions = useFieldDefinitions();
  const save = useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      unwrap(api.PUT("/api/v1/contacts/{contact_id}/fields", { params: { path: { contact_id: contact.id } }, body: values })),
    onSuccess: (updated) => queries.setQueryData(["contact", contact.id], updated),
  });
  const fields = definitions.data ?? [];
  if (fields.length === 0) return null;
  const failedKey = save.error instanceof ApiError ? save.error.field?.replace(/^fields\./, "") : undefined;
  return (
    <>
      <Divider label={t("contact.fields")} labelPosition="left" />
      <Stack gap="xs">
        {fields.map((field) => (
          <FieldInput
            key={field.id}
            field={field}
            value={contact.fields[field.key]}
            readOnly={!canWrite}
            error={failedKey === field.key ? errorMessage(save.error) : undefined}
            onSave={(value) => save.mutate({ [field.key]: value })}
          />
        ))}
        {save.error && !failedKey && <Alert color="red">{errorMessage(save.error)}</Alert>}
      </Stack>
    </>
  );
}

interface InputProps {
  field: FieldDefinition;
  value: unknown;
  readOnly: boolean;
  error?: string;
  onSave: (value: unknown) => void;
}

/** Enter in a one-line field saves it, as leaving it does. */
function blurOnEnter(event: KeyboardEvent<HTMLInputElement>) {
  if (event.key === "Enter") event.currentTarget.blur();
}

function FieldInput({ field, value, readOnly, error, onSave }: InputProps) {
  const { t } = useTranslation();
  const stored = value === undefined || value === null ? "" : String(value);
  const [draft, setDraft] = useState(stored);
  useEffect(() => setDraft(stored), [stored]);
  const common = { label: field.label, readOnly, error, size: "sm" as const };
  const commit = (next: unknown) => {
    if ((next ?? "") === (value ?? "")) return;
    onSave(next);
  };

  switch (field.field_type) {
    case "boolean":
      return (
        <Checkbox
          label={field.label}
          checked={draft === "true"}
          disabled={readOnly}
          error={error}
          onChange={(e) => {
            setDraft(String(e.currentTarget.checked));
            onSave(e.currentTarget.checked);
          }}
        />
      );
    case "select":
      return (
        <Select
          {...common}
          data={[...new Set([...field.options, ...(stored ? [stored] : [])])]}
          value={stored || null}
          clearable
          placeholder={t("customFields.choose")}
          onChange={(next) => commit(next ?? null)}
        />
      );
    case "number":
      return (
        <TextInput
          {...common}
          type="number"
          step="any"
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={blurOnEnter}
          onBlur={() => {
            const number = Number(draft);
            if (draft === "") commit(null);
            else if (Number.isFinite(number)) commit(number);
          }}
        />
      );
    case "date":
      return (
        <TextInput
          {...common}
          type="date"
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={blurOnEnter}
          onBlur={() => commit(draft === "" ? null : draft)}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          maxLength={1000}
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={blurOnEnter}
          onBlur={() => commit(draft.trim() === "" ? null : draft)}
        />
      );
  }
}
