// The contact's language: detected from their messages until an agent sets it here.
import { Select } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { languageChoices } from "./languages";

type Contact = Schemas["ContactRead"];

export function ContactLanguage({ contact, canWrite }: { contact: Contact; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (language: string | null) =>
      unwrap(api.PATCH("/api/v1/contacts/{contact_id}", { params: { path: { contact_id: contact.id } }, body: { language } })),
    onSuccess: (updated) => queries.setQueryData(["contact", contact.id], updated),
  });
  const value = save.isPending ? (save.variables ?? null) : contact.language;
  const source = contact.language_source;
  return (
    <Select
      label={t("languages.contact.label")}
      placeholder={t("languages.contact.automatic")}
      description={source ? t(`languages.contact.source.${source}`) : t("languages.contact.unknown")}
      data={languageChoices(i18n.language, { product: t("languages.contact.product"), others: t("languages.contact.others") }, contact.language)}
      value={value}
      readOnly={!canWrite}
      searchable
      clearable
      allowDeselect={false}
      onChange={(language) => save.mutate(language)}
      error={save.error ? errorMessage(save.error) : undefined}
    />
  );
}
