// The languages a member speaks (a routing skill), chosen from a list and saved at once.
import { MultiSelect } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { adminProblem } from "./adminErrors";
import type { Member } from "./Members";

// The product's languages first, then those most often spoken in contact centres.
const COMMON = ["en", "pt-BR", "vi", "es", "fr", "de", "it", "nl", "id", "ms", "th", "tl", "zh", "ja", "ko", "hi", "ar", "ru"];

/** "Português (Brasil)", "tiếng Việt"…: a language's name in the user's language. */
export function languageName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function LanguagesInput({ member, size = "xs" }: { member: Member; size?: "xs" | "sm" }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (languages: string[]) =>
      unwrap(api.PATCH("/api/v1/members/{user_id}", { params: { path: { user_id: member.user_id } }, body: { languages } })),
    onSettled: () => void queries.invalidateQueries({ queryKey: ["members"] }),
  });
  const codes = [...new Set([...COMMON, ...member.languages])];
  return (
    <MultiSelect
      size={size}
      label={t("admin.members.languages")}
      aria-label={t("admin.members.languagesOf", { name: member.name })}
      placeholder={member.languages.length === 0 ? t("admin.members.noLanguages") : undefined}
      searchable
      data={codes.map((code) => ({ value: code, label: languageName(code, i18n.language) }))}
      value={save.isPending && save.variables ? save.variables : member.languages}
      onChange={(languages) => save.mutate(languages)}
      error={save.error ? adminProblem(t, save.error, "team") : undefined}
      maxValues={20}
    />
  );
}
