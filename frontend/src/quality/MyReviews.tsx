// My reviews: the submitted reviews of the member's own conversations, newest first; each opens
// with the reviewer's comments and the thread to reply in.
import { Alert, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type Me, errorMessage } from "../api/client";
import { useReviews } from "./api";
import { ScoreBadge } from "./ScoreBadge";

export function MyReviews({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const reviews = useReviews({ agent_id: me.user.id, status: "submitted" });
  const day = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" });
  return (
    <Stack gap="md">
      <Title order={2}>{t("quality.mine.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("quality.mine.intro")}
      </Text>
      {reviews.error && <Alert color="red">{errorMessage(reviews.error)}</Alert>}
      {reviews.data?.items.length === 0 && <Text c="dimmed">{t("quality.mine.empty")}</Text>}
      <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("quality.mine.title")}>
        {(reviews.data?.items ?? []).map((r) => (
          <Paper component="li" key={r.id} withBorder p="sm">
            <Group justify="space-between" wrap="wrap">
              <Stack gap={2}>
                <Text fw={600}>{t("quality.mine.item", { contact: r.contact_name || t("quality.queue.unnamed"), channel: r.channel_name })}</Text>
                <Text size="sm" c="dimmed">
                  {t("quality.mine.when", { day: day.format(new Date(r.submitted_at ?? r.created_at)), name: r.reviewer?.name ?? "—" })}
                </Text>
              </Stack>
              <Group gap="xs">
                <ScoreBadge score={r.score} failed={r.is_failed} />
                <Button component={Link} to={`/quality/reviews/${r.id}`} variant="light" size="xs">
                  {t("quality.mine.open")}
                </Button>
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
