// "Conversations like this one": what other customers wrote about the same thing, closest first,
// among the conversations the member may see. Folded by default; nothing shows while the
// workspace has the feature off.
import { Anchor, Badge, Button, Collapse, Group, Paper, Progress, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap } from "../api/client";

export function similarQuery(conversationId: string) {
  return {
    queryKey: ["similar-conversations", conversationId],
    queryFn: () => unwrap(api.GET("/api/v1/conversations/{conversation_id}/similar", { params: { path: { conversation_id: conversationId } } })),
    retry: false,
    staleTime: 30_000,
  };
}

export function SimilarConversations({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const similar = useQuery({
    ...similarQuery(conversationId),
    refetchInterval: (q: { state: { data?: { is_ready: boolean } } }) => (q.state.data?.is_ready === false ? 5_000 : false),
  });
  if (!similar.data) return null; // off in this workspace (409), or loading
  const items = similar.data.items;
  if (similar.data.is_ready && items.length === 0) return null;
  return (
    <Paper px="md" py={4} radius={0} withBorder style={{ borderLeft: 0, borderRight: 0 }} role="region" aria-label={t("similar.title")}>
      <Button variant="subtle" size="compact-xs" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {similar.data.is_ready ? t("similar.toggle", { count: items.length }) : t("similar.pending")}
      </Button>
      <Collapse in={open}>
        <Stack gap={6} py={4} role="list">
          {items.map((item) => (
            <Group key={item.conversation_id} gap="xs" wrap="nowrap" role="listitem">
              <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                <Anchor component={Link} to={`/conversations/${item.conversation_id}`} size="sm" truncate>
                  {item.contact_name ?? t("similar.noName")} · {item.subject || item.last_message_preview}
                </Anchor>
                <Text size="xs" c="dimmed" truncate>
                  {item.last_message_preview}
                </Text>
              </Stack>
              <Badge size="xs" variant="light" color={item.status === "closed" ? "gray" : "blue"}>
                {t(`similar.status.${item.status}`, { defaultValue: item.status })}
              </Badge>
              <Progress
                value={Math.round(item.score * 100)}
                w={48}
                size="sm"
                aria-label={t("similar.score", { score: Math.round(item.score * 100) })}
                title={t("similar.score", { score: Math.round(item.score * 100) })}
              />
            </Group>
          ))}
        </Stack>
      </Collapse>
    </Paper>
  );
}
