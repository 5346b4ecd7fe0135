// One review: the conversation's messages, each with a comment affordance, beside the scorecard
// form with its live score. Once submitted it reads as the agent sees it: the answers, the
// comments on messages, the overall comment, and the thread where the agent replies.
import { Alert, Badge, Box, Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { type Me, api, errorMessage, unwrap } from "../api/client";
import { QUALITY_KEY, type Review, useReview, useScorecards } from "./api";
import { ScoreBadge } from "./ScoreBadge";
import { type Answers, type Scorecard, VALUES, liveScore } from "./score";

type ReviewMessage = Review["messages"][number];

export function ReviewScreen({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { id } = useParams();
  const review = useReview(id);
  const admin = me.workspace?.role === "owner" || me.workspace?.role === "manager";
  if (review.error) return <Alert color="red">{errorMessage(review.error)}</Alert>;
  if (!review.data) return <Text>{t("app.loading")}</Text>;
  const data = review.data;
  const back = admin ? "/quality" : "/quality/mine";
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Stack gap={2}>
          <Title order={2}>{t("quality.review.title", { contact: data.contact_name || t("quality.queue.unnamed") })}</Title>
          <Text size="sm" c="dimmed">
            {t("quality.review.about", { agent: data.agent?.name ?? "—", channel: data.channel_name })}
          </Text>
        </Stack>
        <Button component={Link} to={back} variant="subtle">
          {t("quality.review.back")}
        </Button>
      </Group>
      {data.status === "pending" && admin ? <ScoringForm review={data} /> : <Submitted review={data} me={me} />}
    </Stack>
  );
}

function Messages({
  messages,
  comments,
  onComment,
}: {
  messages: ReviewMessage[];
  comments: Record<string, string[]>;
  onComment?: (message: ReviewMessage) => void;
}) {
  const { t, i18n } = useTranslation();
  const time = new Intl.DateTimeFormat(i18n.language, { hour: "2-digit", minute: "2-digit" });
  return (
    <Stack gap="xs" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("quality.review.messages")}>
      {messages.map((m) => {
        const inbound = m.direction === "inbound";
        return (
          <Box component="li" key={m.id} style={{ alignSelf: inbound ? "flex-start" : "flex-end", maxWidth: "90%" }}>
            <Paper withBorder p="xs" bg={inbound ? "white" : "teal.0"}>
              <Text size="xs" c="dimmed">
                {(inbound ? t("quality.review.customer") : m.sender_name ?? t("quality.review.automatic")) + " · " + time.format(new Date(m.created_at))}
              </Text>
              <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                {m.body || `[${m.kind}]`}
              </Text>
              {(comments[m.id] ?? []).map((c, i) => (
                <Text key={i} size="sm" c="orange.9" bg="orange.0" p={4} mt={4} role="note" aria-label={t("quality.review.commentOnMessage")}>
                  {c}
                </Text>
              ))}
              {onComment && (
                <Button size="compact-xs" variant="subtle" mt={4} onClick={() => onComment(m)} aria-label={t("quality.review.commentOn", { text: m.body.slice(0, 40) })}>
                  {t("quality.review.comment")}
                </Button>
              )}
            </Paper>
          </Box>
        );
      })}
    </Stack>
  );
}

function ScoringForm({ review }: { review: Review }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const cards = useScorecards();
  const [cardId, setCardId] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [commenting, setCommenting] = useState<ReviewMessage | null>(null);
  const [draft, setDraft] = useState("");
  const [overall, setOverall] = useState("");
  const card: Scorecard | undefined = (cards.data ?? []).find((c) => c.id === cardId) ?? cards.data?.[0];
  const live = card ? liveScore(card, answers) : null;
  const submit = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/quality/reviews/{review_id}/submit", {
          params: { path: { review_id: review.id } },
          body: {
            scorecard_id: card?.id ?? "",
            answers: Object.entries(answers).flatMap(([item_id, value]) => (value ? [{ item_id, value }] : [])),
            message_comments: Object.entries(notes).map(([message_id, body]) => ({ message_id, body })),
            comment: overall.trim() || null,
          },
        }),
      ),
    onSuccess: (data) => {
      queries.setQueryData([...QUALITY_KEY, "review", review.id], data);
      void queries.invalidateQueries({ queryKey: QUALITY_KEY });
    },
  });
  const shown = Object.fromEntries(Object.entries(notes).map(([k, v]) => [k, [v]]));
  const format = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Stack gap="xs">
        <Messages messages={review.messages} comments={shown} onComment={(m) => (setCommenting(m), setDraft(notes[m.id] ?? ""))} />
        {commenting && (
          <Paper withBorder p="sm">
            <Textarea
              label={t("quality.review.commentLabel")}
              autosize
              minRows={2}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              data-autofocus
            />
            <Group mt="xs">
              <Button
                size="xs"
                onClick={() => {
                  const next = { ...notes };
                  if (draft.trim()) next[commenting.id] = draft.trim();
                  else delete next[commenting.id];
                  setNotes(next);
                  setCommenting(null);
                }}
              >
                {t("quality.review.keepComment")}
              </Button>
              <Button size="xs" variant="default" onClick={() => setCommenting(null)}>
                {t("quality.cancel")}
              </Button>
            </Group>
          </Paper>
        )}
      </Stack>
      <Stack gap="sm">
        {cards.data?.length === 0 && <Alert color="yellow">{t("quality.review.noScorecard")}</Alert>}
        {card && (
          <>
            <Select
              label={t("quality.review.scorecard")}
              data={(cards.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={card.id}
              allowDeselect={false}
              onChange={(v) => (setCardId(v), setAnswers({}))}
            />
            {card.categories.map((category) => (
              <Paper key={category.id} withBorder p="sm" component="fieldset" style={{ border: undefined }}>
                <Text component="legend" fw={600}>
                  {t("quality.review.category", { name: category.name, weight: category.weight })}
                </Text>
                <Stack gap="xs">
                  {category.items.map((item) => (
                    <Stack key={item.id} gap={2}>
                      <Group gap={6}>
                        <Text size="sm" id={`item-${item.id}`}>
                          {item.label}
                        </Text>
                        {item.is_critical && (
                          <Badge color="red" size="xs">
                            {t("quality.scorecards.critical")}
                          </Badge>
                        )}
                      </Group>
                      <SegmentedControl
                        size="xs"
                        fullWidth
                        aria-labelledby={`item-${item.id}`}
                        value={answers[item.id] ?? ""}
                        onChange={(value) => setAnswers({ ...answers, [item.id]: value })}
                        data={VALUES[item.kind].map((v) => ({ value: v, label: t(`quality.values.${v}`) }))}
                      />
                    </Stack>
                  ))}
                </Stack>
              </Paper>
            ))}
            <Textarea label={t("quality.review.overall")} autosize minRows={2} value={overall} onChange={(e) => setOverall(e.currentTarget.value)} />
            <Group justify="space-between" wrap="wrap">
              <Text fw={700} role="status" aria-live="polite">
                {live?.failed
                  ? t("quality.review.liveFailed")
                  : t("quality.review.live", { score: live?.score === null || live === null ? "—" : format.format(live.score), answered: live?.answered ?? 0, total: live?.total ?? 0 })}
              </Text>
              <Button loading={submit.isPending} disabled={!live || live.answered < live.total} onClick={() => submit.mutate()}>
                {t("quality.review.submit")}
              </Button>
            </Group>
            {submit.error && <Alert color="red">{errorMessage(submit.error)}</Alert>}
          </>
        )}
      </Stack>
    </SimpleGrid>
  );
}

function Submitted({ review, me }: { review: Review; me: Me }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const [reply, setReply] = useState("");
  const onMessages: Record<string, string[]> = {};
  for (const c of review.comments) if (c.message_id) (onMessages[c.message_id] ??= []).push(c.body);
  const thread = review.comments.filter((c) => !c.message_id);
  const values = Object.fromEntries(review.answers.map((a) => [a.item_id, a.value]));
  const send = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/quality/reviews/{review_id}/replies", { params: { path: { review_id: review.id } }, body: { body: reply } })),
    onSuccess: (data) => {
      setReply("");
      queries.setQueryData([...QUALITY_KEY, "review", review.id], data);
    },
  });
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const canReply = me.workspace?.role !== "viewer";
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Messages messages={review.messages} comments={onMessages} />
      <Stack gap="sm">
        <Group>
          <ScoreBadge score={review.score} failed={review.is_failed} />
          {review.reviewer && (
            <Text size="sm" c="dimmed">
              {t("quality.review.by", { name: review.reviewer.name })}
            </Text>
          )}
        </Group>
        {review.scorecard?.categories.map((category) => (
          <Paper key={category.id} withBorder p="sm">
            <Group justify="space-between">
              <Text fw={600}>{category.name}</Text>
              <Text size="sm">{review.category_scores[category.id] ?? "—"}</Text>
            </Group>
            {category.items.map((item) => (
              <Group key={item.id} justify="space-between" wrap="nowrap">
                <Text size="sm">{item.label}</Text>
                <Badge variant="light" color={values[item.id] === "no" || values[item.id] === "1" ? "red" : "gray"}>
                  {t(`quality.values.${values[item.id] ?? "na"}`)}
                </Badge>
              </Group>
            ))}
          </Paper>
        ))}
        {review.comment && (
          <Paper withBorder p="sm">
            <Text size="xs" c="dimmed">
              {t("quality.review.overall")}
            </Text>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {review.comment}
            </Text>
          </Paper>
        )}
        <Title order={3} size="h5">
          {t("quality.review.thread")}
        </Title>
        <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("quality.review.thread")}>
          {thread.map((c) => (
            <Paper component="li" key={c.id} withBorder p="xs">
              <Text size="xs" c="dimmed">
                {(c.author?.name ?? "—") + " · " + when.format(new Date(c.created_at))}
              </Text>
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                {c.body}
              </Text>
            </Paper>
          ))}
        </Stack>
        {canReply && (
          <>
            <Textarea label={t("quality.review.reply")} autosize minRows={2} value={reply} onChange={(e) => setReply(e.currentTarget.value)} />
            <Group>
              <Button loading={send.isPending} disabled={!reply.trim()} onClick={() => send.mutate()}>
                {t("quality.review.sendReply")}
              </Button>
            </Group>
            {send.error && <Alert color="red">{errorMessage(send.error)}</Alert>}
          </>
        )}
      </Stack>
    </SimpleGrid>
  );
}
