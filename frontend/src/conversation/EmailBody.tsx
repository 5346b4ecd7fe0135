// An email message in the history: its subject, its HTML (sanitised by the server, shown in a
// sandboxed frame where no script runs), and the quoted history folded behind a button.
import { Anchor, Box, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "../api/client";
import { type EmailParts, emailParts, frameDocument } from "./emailParts";

const MAX_FRAME_HEIGHT = 600;

function MailFrame({ html, title }: { html: string; title: string }) {
  const [height, setHeight] = useState(40);
  return (
    <iframe
      title={title}
      // No scripts; same origin only so the frame's height can be read; links open a new tab.
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      srcDoc={frameDocument(html)}
      style={{ border: 0, width: "100%", height, display: "block", background: "transparent" }}
      onLoad={(event) => {
        const body = event.currentTarget.contentDocument?.body;
        if (body) setHeight(Math.min(body.scrollHeight + 4, MAX_FRAME_HEIGHT));
      }}
    />
  );
}

export function EmailBody({ message, parts }: { message: Message; parts?: EmailParts | null }) {
  const { t } = useTranslation();
  const [quoted, setQuoted] = useState(false);
  const mail = parts ?? emailParts(message.payload);
  if (!mail) return message.body ? <Text size="sm">{message.body}</Text> : null;
  const hasQuoted = Boolean(mail.quotedHtml || mail.quotedText);
  return (
    <Stack gap={4} style={{ whiteSpace: "normal" }}>
      {mail.subject && (
        <Text size="xs" c="dimmed">
          {t("emailBody.subject")}: {mail.subject}
        </Text>
      )}
      {mail.html ? <MailFrame html={mail.html} title={t("emailBody.htmlTitle")} /> : message.body && <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{message.body}</Text>}
      {hasQuoted && (
        <Anchor component="button" type="button" size="xs" c="dimmed" w="fit-content" aria-expanded={quoted} onClick={() => setQuoted((q) => !q)}>
          {quoted ? t("emailBody.hideQuoted") : t("emailBody.showQuoted")}
        </Anchor>
      )}
      {quoted && (
        <Box pl="xs" style={{ borderLeft: "2px solid var(--mantine-color-gray-4)" }}>
          {mail.quotedHtml ? (
            <MailFrame html={mail.quotedHtml} title={t("emailBody.htmlTitle")} />
          ) : (
            <Text size="xs" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
              {mail.quotedText}
            </Text>
          )}
        </Box>
      )}
    </Stack>
  );
}
