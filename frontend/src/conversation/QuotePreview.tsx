// A quoted message: above the composer while replying to it, and inside the reply's bubble.
import { Box, CloseButton, Group, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Message } from "../api/client";
import { messagesQuery } from "../live/queries";

function useQuotedName(message: Message | undefined): string {
  const { t } = useTranslation();
  if (!message) return "";
  if (message.direction === "inbound") return t("rich.quote.customer");
  return message.sender?.name ?? t("rich.quote.you");
}

function Excerpt({ message }: { message: Message | undefined }) {
  const { t } = useTranslation();
  const text = !message
    ? t("rich.quote.missing")
    : message.deleted_at
      ? t("rich.bubble.deleted")
      : message.body || (message.kind === "location" ? t("rich.bubble.location") : t("rich.bubble.file"));
  return (
    <Text size="xs" lineClamp={2} c={message ? undefined : "dimmed"} fs={message ? undefined : "italic"}>
      {text}
    </Text>
  );
}

const edge = {
  borderLeft: "3px solid var(--mantine-color-teal-5)",
  borderRadius: 6,
  background: "var(--mantine-color-gray-0)",
};

export function QuotePreview({ message, onCancel }: { message: Message; onCancel: () => void }) {
  const { t } = useTranslation();
  const name = useQuotedName(message);
  return (
    <Group mb="xs" px="xs" py={4} gap="xs" wrap="nowrap" style={edge} role="note" aria-label={t("rich.quote.replyingTo", { name })}>
      <Box style={{ flex: 1, minWidth: 0 }}>
        <Text size="xs" fw={600} c="teal.8">
          {t("rich.quote.replyingTo", { name })}
        </Text>
        <Excerpt message={message} />
      </Box>
      <CloseButton size="sm" aria-label={t("rich.quote.cancel")} onClick={onCancel} />
    </Group>
  );
}

/** The message a bubble replies to, when it is in this inbox (or a provider id only). */
export function QuotedInBubble({ conversationId, messageId }: { conversationId: string; messageId: string }) {
  const quoted = useQuery({ ...messagesQuery(conversationId), select: (page) => page.items.find((m) => m.id === messageId) }).data;
  const name = useQuotedName(quoted);
  return (
    <Box px="xs" py={2} mb={4} style={edge} data-testid="quoted">
      {quoted && (
        <Text size="xs" fw={600} c="teal.8">
          {name}
        </Text>
      )}
      <Excerpt message={quoted} />
    </Box>
  );
}
