// One message in the history: customer, agent, bot or an internal note, with its delivery state.
import { ActionIcon, Box, Button, Stack, Text, Tooltip } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Message, api, unwrap } from "../api/client";
import { rememberMessages } from "../live/cache";
import { AttachmentView } from "./AttachmentView";
import { EmailBody } from "./EmailBody";
import { failureReason } from "./failure";
import { emailParts } from "./emailParts";
import { useQuote } from "./quote";
import { QuotedInBubble } from "./QuotePreview";
import { OWN_BODY, Reactions, RichContent, Ticks } from "./RichContent";
import { retryBody } from "./rich";

export function Bubble({ message: m, canRetry }: { message: Message; canRetry: boolean }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const quote = useQuote();
  // A failed reply is sent again as a new message: the failed one stays, with its reason.
  const retry = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/conversations/{conversation_id}/messages", {
          params: { path: { conversation_id: m.conversation_id } },
          body: retryBody(m, crypto.randomUUID()),
        }),
      ),
    onSuccess: (message) => rememberMessages(queries, [message]),
  });
  const mine = m.direction === "outbound";
  const note = m.kind === "note";
  // A whisper: a supervisor's note only the assignee and the supervisors read.
  const whisper = note && m.is_whisper === true;
  // Sent by Frontdesk itself (routing notices): never shown as an agent's reply.
  const automatic = m.sender_type === "system";
  const deleted = Boolean(m.deleted_at);
  // Agents quote what a customer (or a colleague) said; notes and deleted messages are not quoted.
  const quotable = canRetry && !note && !automatic && !deleted;
  const original = typeof m.payload?.["original_body"] === "string" ? m.payload["original_body"] : undefined;
  const time = new Intl.DateTimeFormat(i18n.language, { hour: "2-digit", minute: "2-digit", day: "numeric", month: "short" }).format(new Date(m.created_at));
  return (
    <Stack gap={0} maw="75%" style={{ alignSelf: mine ? "flex-end" : "flex-start" }} data-message-id={m.id}>
    <Box
      px="sm"
      py={6}
      style={{
        borderRadius: 12,
        background: whisper ? "var(--mantine-color-grape-1)" : note ? "var(--mantine-color-yellow-1)" : automatic ? "var(--mantine-color-gray-1)" : mine ? "var(--mantine-color-teal-1)" : "white",
        border: whisper ? "1px dashed var(--mantine-color-grape-6)" : note ? "1px dashed var(--mantine-color-yellow-6)" : automatic ? "1px dashed var(--mantine-color-gray-5)" : "1px solid var(--mantine-color-gray-3)",
        whiteSpace: "pre-wrap",
      }}
    >
      {automatic ? (
        <Text size="xs" fw={600} c="dimmed">
          {t("routing.automatic")}
        </Text>
      ) : (note || m.sender) && (
        <Text size="xs" fw={600} c="dimmed">
          {whisper ? `${t("supervise.whisperLabel")} · ` : note ? `${t("conversation.note")} · ` : ""}
          {m.sender?.name}
        </Text>
      )}
      {quotable && (
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-label={t("rich.quote.action")}
          title={t("rich.quote.action")}
          onClick={() => quote(m.conversation_id, m)}
          style={{ float: "right", marginLeft: 4 }}
        >
          ↩
        </ActionIcon>
      )}
      {m.reply_to_message_id && <QuotedInBubble conversationId={m.conversation_id} messageId={m.reply_to_message_id} />}
      {deleted ? (
        <Tooltip label={t("rich.bubble.deletedHelp")}>
          <Text size="sm" fs="italic" c="dimmed">
            {t("rich.bubble.deleted")}
          </Text>
        </Tooltip>
      ) : (
        <>
          {emailParts(m.payload) ? <EmailBody message={m} /> : !OWN_BODY.has(m.kind) && m.body && <Text size="sm">{m.body}</Text>}
          <RichContent message={m} />
        </>
      )}
      {!deleted && m.attachments.map((a) => <AttachmentView key={String(a["id"])} attachment={a} />)}
      <Text size="xs" c={m.status === "failed" ? "red" : "dimmed"} ta="right">
        {time}
        {m.edited_at && !deleted && (
          <Tooltip label={t("rich.bubble.originalText", { text: original ?? "" })} disabled={!original} multiline w={260}>
            <span> · {t("rich.bubble.edited")}</span>
          </Tooltip>
        )}
        {mine && !note && m.status === "failed" && ` · ${t("rich.bubble.failedReason", { reason: failureReason(t, m.error) })}`}
        {mine && !note && m.status && m.status !== "failed" && <Ticks status={m.status} />}
      </Text>
      {canRetry && m.status === "failed" && m.kind !== "note" && (
        <Button size="compact-xs" variant="light" color="red" onClick={() => retry.mutate()} loading={retry.isPending}>
          {t("conversation.retry")}
        </Button>
      )}
    </Box>
    <Reactions message={m} />
    </Stack>
  );
}
