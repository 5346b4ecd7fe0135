// The conversation's CSAT: the rating the customer gave after each close (or that the survey
// waits for an answer), refreshed live when they answer.
import { Group, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Schemas, api, unwrap } from "../api/client";
import { serverNow } from "../api/serverClock";

type Survey = Schemas["CsatResponseRead"];

export function stars(rating: number): string {
  return "★".repeat(rating) + "☆".repeat(5 - rating);
}

/** `closedAt` refetches on each close: the survey is written with it. */
export function ConversationCsat({ conversationId, closedAt }: { conversationId: string; closedAt?: string | null }) {
  const { t, i18n } = useTranslation();
  // Kept current by `csat.*` frames (live/apply.ts).
  const key = ["csat", conversationId, closedAt ?? null];
  const surveys = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/conversations/{conversation_id}/csat", {
          params: { path: { conversation_id: conversationId } },
        }),
      ),
  });
  const latest: Survey | undefined = surveys.data?.at(-1);
  if (!latest) return null;
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <Group gap="xs" px="sm" py={4} aria-label={t("csat.conversation.label")} role="group">
      <Text size="xs" c="dimmed">
        {t("csat.conversation.label")}:
      </Text>
      {latest.rating !== null && latest.rating !== undefined ? (
        <>
          <Text size="sm" c="yellow.7" aria-label={t("csat.conversation.stars", { rating: latest.rating })}>
            {stars(latest.rating)}
          </Text>
          <Text size="xs">
            {t("csat.conversation.rated", { rating: latest.rating })}
            {latest.answered_at ? ` · ${when.format(new Date(latest.answered_at))}` : ""}
          </Text>
        </>
      ) : (
        <Text size="xs" c="dimmed">
          {Date.parse(latest.expires_at) > serverNow() ? t("csat.conversation.waiting") : t("csat.conversation.expired")}
        </Text>
      )}
    </Group>
  );
}
