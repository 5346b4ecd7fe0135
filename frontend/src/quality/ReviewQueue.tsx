// Quality → the review queue: the spot checks sampled from last week's closed conversations,
// filtered by agent, reviewer and status; "Sample now" takes this week's sample at once; each
// review can be given to a reviewer (an owner or manager) and opened to score.
import { Alert, Badge, Button, Group, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { QUALITY_KEY, type QueueFilters, type ReviewStatus, type ReviewSummary, useReviews } from "./api";
import { ScoreBadge } from "./ScoreBadge";

export function useStaff() {
  return useQuery({
    queryKey: ["members"],
    queryFn: () => unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100 } } })),
  });
}

export function ReviewQueue() {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const queries = useQueryClient();
  const [filters, setFilters] = useState<QueueFilters>({ status: "pending" });
  const [sampled, setSampled] = useState<number | null>(null);
  const reviews = useReviews(filters);
  const members = useStaff();
  const people = (members.data?.items ?? []).map((m) => ({ value: m.user_id, label: m.name }));
  const reviewers = (members.data?.items ?? [])
    .filter((m) => m.role === "owner" || m.role === "manager")
    .map((m) => ({ value: m.user_id, label: m.name }));
  const sample = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/quality/samples")),
    onSuccess: async (data) => {
      setSampled(data.picked);
      await queries.invalidateQueries({ queryKey: QUALITY_KEY });
    },
  });
  const assign = useMutation({
    mutationFn: ({ id, reviewer }: { id: string; reviewer: string | null }) =>
      unwrap(api.PATCH("/api/v1/quality/reviews/{review_id}", { params: { path: { review_id: id } }, body: { reviewer_id: reviewer } })),
    onSettled: () => queries.invalidateQueries({ queryKey: QUALITY_KEY }),
  });
  const day = new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short" });
  const status = (s: ReviewStatus) => t(`quality.status.${s}`);
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t("quality.queue.title")}</Title>
        <Group gap="xs">
          <Button component={Link} to="/quality/mine" variant="subtle">
            {t("quality.mine.title")}
          </Button>
          <Button loading={sample.isPending} onClick={() => sample.mutate()}>
            {t("quality.queue.sampleNow")}
          </Button>
        </Group>
      </Group>
      {sampled !== null && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setSampled(null)}>
          {t("quality.queue.sampled", { count: sampled })}
        </Alert>
      )}
      {sample.error && <Alert color="red">{errorMessage(sample.error)}</Alert>}
      <Group grow={!phone} wrap="wrap" align="flex-end">
        <Select
          label={t("quality.queue.agent")}
          placeholder={t("quality.queue.anyone")}
          data={people}
          clearable
          searchable
          value={filters.agent_id ?? null}
          onChange={(v) => setFilters({ ...filters, agent_id: v ?? undefined })}
        />
        <Select
          label={t("quality.queue.reviewer")}
          placeholder={t("quality.queue.anyone")}
          data={reviewers}
          clearable
          value={filters.reviewer_id ?? null}
          onChange={(v) => setFilters({ ...filters, reviewer_id: v ?? undefined })}
        />
        <Select
          label={t("quality.queue.status")}
          placeholder={t("quality.queue.anyStatus")}
          data={(["pending", "submitted"] as const).map((s) => ({ value: s, label: status(s) }))}
          clearable
          value={filters.status ?? null}
          onChange={(v) => setFilters({ ...filters, status: (v as ReviewStatus | null) ?? undefined })}
        />
      </Group>
      {reviews.error && <Alert color="red">{errorMessage(reviews.error)}</Alert>}
      {reviews.data?.items.length === 0 && <Text c="dimmed">{t("quality.queue.empty")}</Text>}
      {(reviews.data?.items.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={phone ? 560 : 0}>
          <Table striped highlightOnHover aria-label={t("quality.queue.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("quality.queue.conversation")}</Table.Th>
                <Table.Th>{t("quality.queue.agent")}</Table.Th>
                <Table.Th>{t("quality.queue.closed")}</Table.Th>
                <Table.Th>{t("quality.queue.reviewer")}</Table.Th>
                <Table.Th>{t("quality.queue.status")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(reviews.data?.items ?? []).map((r: ReviewSummary) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Button component={Link} to={`/quality/reviews/${r.id}`} variant="subtle" size="compact-sm">
                      {r.contact_name || t("quality.queue.unnamed")} · {r.channel_name}
                    </Button>
                  </Table.Td>
                  <Table.Td>{r.agent?.name ?? "—"}</Table.Td>
                  <Table.Td>{day.format(new Date(r.closed_at))}</Table.Td>
                  <Table.Td>
                    {r.status === "pending" ? (
                      <Select
                        size="xs"
                        aria-label={t("quality.queue.assignFor", { name: r.contact_name })}
                        placeholder={t("quality.queue.unassigned")}
                        data={reviewers}
                        clearable
                        value={r.reviewer?.id ?? null}
                        onChange={(v) => assign.mutate({ id: r.id, reviewer: v })}
                      />
                    ) : (
                      r.reviewer?.name ?? "—"
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.status === "submitted" ? <ScoreBadge score={r.score} failed={r.is_failed} /> : <Badge variant="light">{status(r.status)}</Badge>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
