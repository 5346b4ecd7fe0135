// One message in the history: customer, agent, bot or an internal note, with its delivery state.
import { Box, Button, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Message, api, unwrap } from "../api/client";
import { FileIcon } from "../components/Icons";
import { rememberMessages } from "../live/reducer";
import { liveStore } from "../live/store";

export function Bubble({ message: m, canRetry }: { message: Message; canRetry: boolean }) {
  const { t, i18n } = useTranslation();
  // A failed reply is sent again as a new message: the failed one stays, with its reason.
  const retry = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/conversations/{conversation_id}/messages", {
          params: { path: { conversation_id: m.conversation_id } },
          body: { body: m.body, client_message_id: crypto.randomUUID(), attachment_ids: m.attachments.map((a) => String(a["id"])) },
        }),
      ),
    onSuccess: (message) => liveStore.update((s) => rememberMessages(s, [message])),
  });
  const mine = m.direction === "outbound";
  const note = m.kind === "note";
  // Sent by Frontdesk itself (routing notices): never shown as an agent's reply.
  const automatic = m.sender_type === "system";
  const time = new Intl.DateTimeFormat(i18n.language, { hour: "2-digit", minute: "2-digit", day: "numeric", month: "short" }).format(new Date(m.created_at));
  return (
    <Box
      maw="75%"
      px="sm"
      py={6}
      style={{
        alignSelf: mine ? "flex-end" : "flex-start",
        borderRadius: 12,
        background: note ? "var(--mantine-color-yellow-1)" : automatic ? "var(--mantine-color-gray-1)" : mine ? "var(--mantine-color-teal-1)" : "white",
        border: note ? "1px dashed var(--mantine-color-yellow-6)" : automatic ? "1px dashed var(--mantine-color-gray-5)" : "1px solid var(--mantine-color-gray-3)",
        whiteSpace: "pre-wrap",
      }}
    >
      {automatic ? (
        <Text size="xs" fw={600} c="dimmed">
          {t("routing.automatic")}
        </Text>
      ) : (note || m.sender) && (
        <Text size="xs" fw={600} c="dimmed">
          {note ? `${t("conversation.note")} · ` : ""}
          {m.sender?.name}
        </Text>
      )}
      <Text size="sm">{m.body}</Text>
      {m.attachments.map((a) => {
        const url = typeof a["url"] === "string" ? a["url"] : undefined;
        const thumb = typeof a["thumbnail_url"] === "string" ? a["thumbnail_url"] : undefined;
        const name = String(a["name"] ?? "file");
        if (thumb) {
          return (
            <a key={String(a["id"])} href={url} target="_blank" rel="noopener noreferrer">
              <img src={thumb} alt={name} style={{ maxWidth: 220, borderRadius: 8, display: "block", marginTop: 4 }} />
            </a>
          );
        }
        return (
          <Text key={String(a["id"])} size="sm" component="a" href={url} target="_blank" rel="noopener noreferrer" td="underline">
            <FileIcon />
            {name}
          </Text>
        );
      })}
      <Text size="xs" c={m.status === "failed" ? "red" : "dimmed"} ta="right">
        {time}
        {mine && !note && m.status ? ` · ${m.status === "failed" ? t("conversation.failed", { reason: String(m.error?.["message"] ?? "") }) : t(`conversation.${m.status}`)}` : ""}
      </Text>
      {canRetry && m.status === "failed" && m.kind !== "note" && (
        <Button size="compact-xs" variant="light" color="red" onClick={() => retry.mutate()} loading={retry.isPending}>
          {t("conversation.retry")}
        </Button>
      )}
    </Box>
  );
}
