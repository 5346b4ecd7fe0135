// Canned responses that answer the customer's last message, above an empty composer: one click
// puts the reply (its variables filled in) into the composer. Nothing shows while the workspace
// has the feature off.
import { Button, Group, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";

export function SuggestedReplies({ conversationId, onPick }: { conversationId: string; onPick: (cannedId: string) => void }) {
  const { t } = useTranslation();
  const suggested = useQuery({
    queryKey: ["suggested-replies", conversationId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/conversations/{conversation_id}/suggested-replies", { params: { path: { conversation_id: conversationId } } })),
    retry: false,
    staleTime: 15_000,
    refetchInterval: (q: { state: { data?: { is_ready: boolean } } }) => (q.state.data?.is_ready === false ? 5_000 : 30_000),
  });
  const items = suggested.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Group gap={4} mb="xs" role="group" aria-label={t("similar.suggested")} wrap="wrap">
      <Text size="xs" c="dimmed">
        {t("similar.suggested")}
      </Text>
      {items.map((item) => (
        <Button
          key={item.canned_response.id}
          size="compact-xs"
          variant="light"
          onClick={() => onPick(item.canned_response.id)}
          title={item.canned_response.body}
          maw="100%"
        >
          {item.canned_response.title}
        </Button>
      ))}
    </Group>
  );
}
