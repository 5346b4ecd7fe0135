// The conversation's tags, changed in place: a multi-select of the workspace's tags.
import { MultiSelect } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { Schemas } from "../api/client";
import { tagOptions } from "../components/tagOptions";
import { rememberConversations } from "../live/cache";

type Conversation = Schemas["ConversationRead"];

export function ConversationTags({ conversation, canWrite }: { conversation: Conversation; canWrite: boolean }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")) });
  const save = useMutation({
    mutationFn: (tagIds: string[]) =>
      unwrap(
        api.PUT("/api/v1/conversations/{conversation_id}/tags", {
          params: { path: { conversation_id: conversation.id } },
          body: { tag_ids: tagIds },
        }),
      ),
    onSuccess: (c) => rememberConversations(queries, [c]),
  });
  const options = tagOptions(tags.data ?? [], conversation.tags);
  return (
    <MultiSelect
      size="xs"
      px="sm"
      py={4}
      aria-label={t("conversationTags.label")}
      placeholder={conversation.tags.length ? undefined : t("conversationTags.placeholder")}
      data={options}
      value={conversation.tags.map((tag) => tag.id)}
      onChange={(ids) => save.mutate(ids)}
      disabled={!canWrite || save.isPending}
      searchable
      clearable
      nothingFoundMessage={t("conversationTags.none")}
      error={save.error ? t("app.error", { message: save.error.message }) : undefined}
      style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}
    />
  );
}
