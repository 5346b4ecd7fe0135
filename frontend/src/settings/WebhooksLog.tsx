// A webhook's delivery log: each event sent (or being sent), its attempts' answers and the next
// attempt's time, by status and event type, with a replay; a bar of the deliveries by status.
import { Alert, Badge, Button, Code, Group, Modal, Paper, Progress, ScrollArea, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { WEBHOOKS_KEY, useEventTypes } from "./Webhooks";

type Subscription = Schemas["WebhookSubscriptionRead"];
type Delivery = Schemas["WebhookDeliveryRead"];
type Status = Delivery["status"];
const STATUSES: Status[] = ["delivered", "retrying", "pending", "failed"];
const COLOURS: Record<Status, string> = { delivered: "teal", retrying: "orange", pending: "blue", failed: "red" };
const PAGE = 50;

function When({ at, language }: { at: string | null; language: string }) {
  if (!at) return <Text size="sm">—</Text>;
  const text = new Date(at).toLocaleString(language, { dateStyle: "short", timeStyle: "medium" });
  return <time dateTime={at}>{text}</time>;
}

export function WebhookDeliveries({ subscription, onClose }: { subscription: Subscription; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const types = useEventTypes();
  const [status, setStatus] = useState<Status | null>(null);
  const [eventType, setEventType] = useState<string | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const [details, setDetails] = useState<Delivery | null>(null);
  const path = { webhook_subscription_id: subscription.id };
  const log = useQuery({
    queryKey: [...WEBHOOKS_KEY, "deliveries", subscription.id, status, eventType, limit],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/webhook-subscriptions/{webhook_subscription_id}/deliveries", {
          params: { path, query: { status: status ?? undefined, event_type: eventType ?? undefined, limit } },
        }),
      ),
  });
  const replay = useMutation({
    mutationFn: (delivery: Delivery) =>
      unwrap(
        api.POST("/api/v1/webhook-subscriptions/{webhook_subscription_id}/deliveries/{webhook_delivery_id}/replay", {
          params: { path: { ...path, webhook_delivery_id: delivery.id } },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: WEBHOOKS_KEY }),
  });
  const items = log.data?.items ?? [];
  const counts = STATUSES.map((s) => [s, items.filter((d) => d.status === s).length] as const);
  const eventChoices = ["webhook.ping", ...(types.data?.event_types ?? [])];
  const replayError =
    replay.error instanceof ApiError && replay.error.status === 409 ? t("webhooks.errors.disabledReplay") : replay.error ? errorMessage(replay.error) : null;
  return (
    <Paper withBorder p="sm" component="section" aria-label={t("webhooks.log.title")}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div style={{ minWidth: 0 }}>
            <Title order={3} size="h5">
              {t("webhooks.log.title")}
            </Title>
            <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
              {subscription.url}
            </Text>
          </div>
          <Button size="xs" variant="subtle" onClick={onClose}>
            {t("webhooks.log.close")}
          </Button>
        </Group>
        <Group gap="xs" grow preventGrowOverflow={false}>
          <Select
            label={t("webhooks.log.statusFilter")}
            placeholder={t("webhooks.log.any")}
            clearable
            value={status}
            onChange={(v) => setStatus(v as Status | null)}
            data={STATUSES.map((s) => ({ value: s, label: t(`webhooks.log.state.${s}`) }))}
          />
          <Select label={t("webhooks.log.eventFilter")} placeholder={t("webhooks.log.any")} clearable searchable value={eventType} onChange={setEventType} data={eventChoices} />
        </Group>
        {items.length > 0 && (
          <Stack gap={4}>
            <Progress.Root size="lg" aria-label={t("webhooks.log.summary")}>
              {counts
                .filter(([, n]) => n > 0)
                .map(([s, n]) => (
                  <Progress.Section key={s} value={(100 * n) / items.length} color={COLOURS[s]} title={`${t(`webhooks.log.state.${s}`)}: ${n}`} />
                ))}
            </Progress.Root>
            <Group gap="md">
              {counts.map(([s, n]) => (
                <Text key={s} size="xs" c={COLOURS[s]}>
                  {t(`webhooks.log.state.${s}`)}: {n}
                </Text>
              ))}
            </Group>
          </Stack>
        )}
        {replayError && <Alert color="red">{replayError}</Alert>}
        {log.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t("webhooks.log.empty")}
          </Text>
        )}
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table striped aria-label={t("webhooks.log.title")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("webhooks.log.when")}</Table.Th>
                  <Table.Th>{t("webhooks.log.event")}</Table.Th>
                  <Table.Th>{t("webhooks.log.status")}</Table.Th>
                  <Table.Th>{t("webhooks.log.attempts")}</Table.Th>
                  <Table.Th>{t("webhooks.log.response")}</Table.Th>
                  <Table.Th>{t("webhooks.log.next")}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <Table.Tr key={d.id} aria-label={`${d.event_type} ${t(`webhooks.log.state.${d.status}`)}`}>
                    <Table.Td>
                      <When at={d.created_at} language={i18n.language} />
                    </Table.Td>
                    <Table.Td>{d.event_type}</Table.Td>
                    <Table.Td>
                      <Badge color={COLOURS[d.status]} variant="light">
                        {t(`webhooks.log.state.${d.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>{d.last_status_code ?? (d.last_error ? t("webhooks.log.noAnswer") : "—")}</Table.Td>
                    <Table.Td>
                      <When at={d.next_attempt_at} language={i18n.language} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="xs" variant="subtle" onClick={() => setDetails(d)} aria-label={t("webhooks.log.detailsOne", { event: d.event_type })}>
                          {t("webhooks.log.details")}
                        </Button>
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => replay.mutate(d)}
                          loading={replay.isPending && replay.variables?.id === d.id}
                          aria-label={t("webhooks.log.replayOne", { event: d.event_type })}
                        >
                          {t("webhooks.log.replay")}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {log.data?.next_cursor && (
          <Group>
            <Button size="xs" variant="subtle" onClick={() => setLimit(limit + PAGE)}>
              {t("webhooks.log.more")}
            </Button>
          </Group>
        )}
      </Stack>
      {details && <DeliveryDetails delivery={details} onClose={() => setDetails(null)} />}
    </Paper>
  );
}

function DeliveryDetails({ delivery, onClose }: { delivery: Delivery; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Modal opened onClose={onClose} size="lg" title={t("webhooks.log.detailsOne", { event: delivery.event_type })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          webhook-id: {delivery.webhook_id}
        </Text>
        <Title order={4} size="h6">
          {t("webhooks.log.history")}
        </Title>
        <Table>
          <Table.Tbody>
            {delivery.history.map((a) => (
              <Table.Tr key={a.attempt}>
                <Table.Td>{a.attempt}</Table.Td>
                <Table.Td>
                  <When at={a.at} language={i18n.language} />
                </Table.Td>
                <Table.Td>{a.status_code ?? a.error ?? t("webhooks.log.noAnswer")}</Table.Td>
                <Table.Td>{t("webhooks.log.duration", { ms: a.duration_ms })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {delivery.last_response && <Code block>{delivery.last_response}</Code>}
        <Title order={4} size="h6">
          {t("webhooks.log.payload")}
        </Title>
        <ScrollArea.Autosize mah={280}>
          <Code block>{JSON.stringify(delivery.payload, null, 2)}</Code>
        </ScrollArea.Autosize>
      </Stack>
    </Modal>
  );
}
