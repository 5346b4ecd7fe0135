// The contact's owner: routing sends their new conversations to this member first.
import { Select } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { useMembers } from "../hooks/useMembers";
import { ownerOptions } from "./mergePreview";

type Contact = Schemas["ContactRead"];

export function ContactOwner({ contact, canWrite }: { contact: Contact; canWrite: boolean }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const members = useMembers();
  const save = useMutation({
    mutationFn: (owner_id: string | null) =>
      unwrap(api.PATCH("/api/v1/contacts/{contact_id}", { params: { path: { contact_id: contact.id } }, body: { owner_id } })),
    onSuccess: (updated) => {
      queries.setQueryData(["contact", contact.id], updated);
      void queries.invalidateQueries({ queryKey: ["contacts"] });
    },
  });
  const value = save.isPending ? (save.variables ?? null) : (contact.owner?.id ?? null);
  return (
    <Select
      label={t("contacts.owner.label")}
      description={t("contacts.owner.help")}
      placeholder={canWrite ? t("contacts.owner.choose") : t("contacts.owner.none")}
      data={ownerOptions(members.items, contact.owner)}
      value={value}
      readOnly={!canWrite}
      searchable
      clearable={canWrite}
      nothingFoundMessage={t("contacts.owner.noMatch")}
      onChange={(owner) => save.mutate(owner)}
      error={save.error ? t("contacts.owner.failed", { reason: errorMessage(save.error) }) : undefined}
    />
  );
}
