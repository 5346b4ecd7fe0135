// Settings → Webhooks: subscriptions to the workspace's events (URL, chosen event types, a
// signing secret shown once), each with its delivery log, a test ping, a new secret, on/off.
import { Alert, Badge, Button, Checkbox, Group, Modal, SimpleGrid, Stack, Switch, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { Confirm } from "./Confirm";
import { Copyable } from "./Copyable";
import { WebhookDeliveries } from "./WebhooksLog";

type Subscription = Schemas["WebhookSubscriptionRead"];
export const WEBHOOKS_KEY = ["webhooks"];
const SUBSCRIPTIONS_KEY = [...WEBHOOKS_KEY, "subscriptions"];
const TYPES_KEY = [...WEBHOOKS_KEY, "event-types"];

export function useEventTypes() {
  return useQuery({ queryKey: TYPES_KEY, queryFn: () => unwrap(api.GET("/api/v1/webhook-subscriptions/event-types")) });
}

function problem(t: (k: string, o?: Record<string, unknown>) => string, error: unknown): string {
  if (error instanceof ApiError && error.status === 403) return t("admin.errors.forbidden");
  if (error instanceof ApiError && error.field === "url") return t("webhooks.errors.url", { message: error.message });
  return errorMessage(error);
}

export function Webhooks() {
  const { t } = useTranslation();
  const types = useEventTypes();
  const subscriptions = useQuery({ queryKey: SUBSCRIPTIONS_KEY, queryFn: () => unwrap(api.GET("/api/v1/webhook-subscriptions")) });
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<Subscription | null>(null);
  const shown = open ? (subscriptions.data?.find((s) => s.id === open.id) ?? null) : null;
  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={720}>
        {t("webhooks.explained", { count: types.data?.failed_deliveries_to_disable ?? 5 })}
      </Text>
      <SubscriptionForm onCreated={setSecret} />
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      <Table.ScrollContainer minWidth={560}>
        <Table striped aria-label={t("webhooks.list")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("webhooks.url")}</Table.Th>
              <Table.Th>{t("webhooks.events")}</Table.Th>
              <Table.Th>{t("webhooks.status")}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(subscriptions.data ?? []).map((s) => (
              <SubscriptionRow key={s.id} subscription={s} onSecret={setSecret} onOpen={() => setOpen(s)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {shown && <WebhookDeliveries subscription={shown} onClose={() => setOpen(null)} />}
    </Stack>
  );
}

function SubscriptionForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const types = useEventTypes();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [every, setEvery] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/webhook-subscriptions", {
          body: { url, description, event_types: every ? [] : chosen },
        }),
      ),
    onSuccess: (made) => {
      setUrl("");
      setDescription("");
      setChosen([]);
      setEvery(true);
      onCreated(made.secret);
      void queries.invalidateQueries({ queryKey: WEBHOOKS_KEY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" maw={720} aria-label={t("webhooks.new")}>
      <Text fw={500}>{t("webhooks.new")}</Text>
      <TextInput label={t("webhooks.url")} type="url" required value={url} onChange={(e) => setUrl(e.currentTarget.value)} placeholder="https://" />
      <TextInput label={t("webhooks.description")} value={description} maxLength={200} onChange={(e) => setDescription(e.currentTarget.value)} />
      <Switch label={t("webhooks.allEvents")} checked={every} onChange={(e) => setEvery(e.currentTarget.checked)} />
      {!every && (
        <Checkbox.Group label={t("webhooks.eventTypes")} value={chosen} onChange={setChosen}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} mt={4}>
            {(types.data?.event_types ?? []).map((type) => (
              <Checkbox key={type} value={type} label={type} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
      )}
      {create.error && <Alert color="red">{problem(t, create.error)}</Alert>}
      <Group>
        <Button type="submit" loading={create.isPending} disabled={!every && chosen.length === 0}>
          {t("webhooks.add")}
        </Button>
      </Group>
    </Stack>
  );
}

function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onDone} title={t("webhooks.secretTitle")} closeButtonProps={{ "aria-label": t("a11y.close") }}>
      <Stack gap="sm">
        <Alert color="yellow">{t("webhooks.secretOnce")}</Alert>
        <Copyable label={t("webhooks.secretLabel")} value={secret} />
        <Group justify="flex-end">
          <Button onClick={onDone}>{t("webhooks.done")}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function SubscriptionRow(props: { subscription: Subscription; onSecret: (secret: string) => void; onOpen: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const s = props.subscription;
  const path = { webhook_subscription_id: s.id };
  const [asking, setAsking] = useState<"rotate" | "remove" | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: WEBHOOKS_KEY });
  const toggle = useMutation({
    mutationFn: (on: boolean) => unwrap(api.PATCH("/api/v1/webhook-subscriptions/{webhook_subscription_id}", { params: { path }, body: { is_enabled: on } })),
    onSuccess: refresh,
  });
  const ping = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/webhook-subscriptions/{webhook_subscription_id}/ping", { params: { path } })),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/webhook-subscriptions/{webhook_subscription_id}/rotate-secret", { params: { path } })),
    onSuccess: (made) => {
      setAsking(null);
      props.onSecret(made.secret);
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/webhook-subscriptions/{webhook_subscription_id}", { params: { path } })),
    onSuccess: () => {
      setAsking(null);
      refresh();
    },
  });
  const events = s.event_types.length ? t("webhooks.eventsCount", { count: s.event_types.length }) : t("webhooks.allEvents");
  return (
    <Table.Tr>
      <Table.Td style={{ overflowWrap: "anywhere" }}>
        <Text size="sm">{s.url}</Text>
        {s.description && (
          <Text size="xs" c="dimmed">
            {s.description}
          </Text>
        )}
      </Table.Td>
      <Table.Td title={s.event_types.join(", ")}>{events}</Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <Switch
            checked={s.is_enabled}
            onChange={(e) => toggle.mutate(e.currentTarget.checked)}
            label={s.is_enabled ? t("webhooks.enabled") : t("webhooks.disabled")}
            aria-label={t("webhooks.turnOn", { url: s.url })}
          />
          {!s.is_enabled && s.disabled_reason && (
            <Badge color="red" variant="light" style={{ whiteSpace: "normal", height: "auto" }}>
              {t(`webhooks.reason.${s.disabled_reason}`, { count: s.failed_in_a_row })}
            </Badge>
          )}
          {s.is_enabled && s.failed_in_a_row > 0 && (
            <Text size="xs" c="orange">
              {t("webhooks.failedInARow", { count: s.failed_in_a_row })}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Button size="xs" variant="light" onClick={props.onOpen} aria-label={t("webhooks.showDeliveries", { url: s.url })}>
            {t("webhooks.deliveries")}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => ping.mutate()} loading={ping.isPending} disabled={!s.is_enabled}>
            {t("webhooks.ping")}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setAsking("rotate")}>
            {t("webhooks.rotate")}
          </Button>
          <Button size="xs" variant="subtle" color="red" onClick={() => setAsking("remove")}>
            {t("webhooks.remove")}
          </Button>
        </Group>
        {ping.isSuccess && (
          <Text size="xs" c="dimmed">
            {t("webhooks.pinged")}
          </Text>
        )}
        {toggle.error && <Alert color="red">{problem(t, toggle.error)}</Alert>}
      </Table.Td>
      {asking === "rotate" && (
        <Confirm
          title={t("webhooks.rotateTitle")}
          confirm={t("webhooks.rotate")}
          onConfirm={() => rotate.mutate()}
          onCancel={() => setAsking(null)}
          pending={rotate.isPending}
          error={rotate.error ? problem(t, rotate.error) : null}
        >
          {t("webhooks.rotateBody")}
        </Confirm>
      )}
      {asking === "remove" && (
        <Confirm
          title={t("webhooks.removeTitle")}
          confirm={t("webhooks.remove")}
          color="red"
          onConfirm={() => remove.mutate()}
          onCancel={() => setAsking(null)}
          pending={remove.isPending}
          error={remove.error ? problem(t, remove.error) : null}
        >
          {t("webhooks.removeBody", { url: s.url })}
        </Confirm>
      )}
    </Table.Tr>
  );
}
