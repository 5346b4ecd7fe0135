// Recent notices for the agent: a new assignment or a mention, each a link to the conversation.
import { CloseButton, Group, Paper, Stack, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type Notice, notices } from "../live/notify";

export function Notices() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Notice[]>([]);
  useEffect(() => notices.subscribe(setItems), []);
  if (items.length === 0) return null;
  return (
    <Stack pos="fixed" bottom={16} right={16} gap="xs" style={{ zIndex: 300 }} role="status" aria-live="polite">
      {items.map((n) => (
        <Paper key={n.id} withBorder shadow="md" p="sm" w={300}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="sm" component={Link} to={`/conversations/${n.conversationId}`} onClick={() => notices.dismiss(n.id)}>
              {t(`notices.${n.kind}`, { name: n.who })}
            </Text>
            <CloseButton size="sm" aria-label={t("notices.dismiss")} onClick={() => notices.dismiss(n.id)} />
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
