// One broadcast: its counts (cards and a chart), what it sends to whom, pause / resume / cancel,
// and its recipients, the failures with the provider's error and the skipped with their reason.
import { BarChart } from "@mantine/charts";
import { Alert, Anchor, Box, Button, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { BROADCASTS_KEY, type Broadcast, type RecipientFilter, type Variable, isMoving, useBroadcast, useRecipients, useTemplates } from "./api";
import { previewText } from "./compose";
import { when } from "./BroadcastList";
import { CountsBar } from "./CountsBar";
import { StatusBadge } from "./StatusBadge";

type Action = "start" | "pause" | "resume" | "cancel";
const COUNTED = ["recipients", "sent", "delivered", "read", "replied", "failed", "skipped"] as const;

function actionsFor(b: Broadcast): Action[] {
  const found: Action[] = [];
  if (b.status === "draft") found.push("start");
  if (b.status === "sending") found.push("pause");
  if (b.status === "paused") found.push("resume");
  if (["draft", "scheduled", "sending", "paused"].includes(b.status)) found.push("cancel");
  return found;
}

function Actions({ broadcast }: { broadcast: Broadcast }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const act = useMutation({
    mutationFn: (action: Action) => {
      const path = { params: { path: { broadcast_id: broadcast.id } } };
      switch (action) {
        case "start":
          return unwrap(api.POST("/api/v1/broadcasts/{broadcast_id}/start", path));
        case "pause":
          return unwrap(api.POST("/api/v1/broadcasts/{broadcast_id}/pause", path));
        case "resume":
          return unwrap(api.POST("/api/v1/broadcasts/{broadcast_id}/resume", path));
        default:
          return unwrap(api.POST("/api/v1/broadcasts/{broadcast_id}/cancel", path));
      }
    },
    onSettled: () => queries.invalidateQueries({ queryKey: BROADCASTS_KEY }),
  });
  const startLabel = broadcast.send_at ? "schedule" : "start";
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {broadcast.status === "draft" && (
          <Button component={Link} to={`/broadcasts/${broadcast.id}/edit`} variant="default">
            {t("broadcasts.detail.edit")}
          </Button>
        )}
        {actionsFor(broadcast).map((action) => (
          <Button
            key={action}
            variant={action === "cancel" ? "light" : "filled"}
            color={action === "cancel" ? "red" : undefined}
            loading={act.isPending && act.variables === action}
            onClick={() => act.mutate(action)}
          >
            {t(`broadcasts.detail.${action === "start" ? startLabel : action}`)}
          </Button>
        ))}
      </Group>
      {act.error && <Alert color="red">{errorMessage(act.error)}</Alert>}
    </Stack>
  );
}

function Recipients({ broadcast }: { broadcast: Broadcast }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<RecipientFilter | "all">("all");
  const recipients = useRecipients(broadcast.id, filter === "all" ? null : filter, isMoving(broadcast));
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap">
        <Title order={3} size="h4">
          {t("broadcasts.detail.recipients")}
        </Title>
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={(v) => setFilter(v as RecipientFilter | "all")}
          data={(["all", "failed", "skipped", "pending"] as const).map((v) => ({ value: v, label: t(`broadcasts.filter.${v}`) }))}
        />
      </Group>
      {recipients.data?.length === 0 && <Text c="dimmed">{t("broadcasts.detail.noRecipients")}</Text>}
      <Table.ScrollContainer minWidth={320}>
        <Table aria-label={t("broadcasts.detail.recipients")}>
          <Table.Tbody>
            {(recipients.data ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  {r.conversation_id ? (
                    <Anchor component={Link} to={`/conversations/${r.conversation_id}`}>
                      {r.contact_name}
                    </Anchor>
                  ) : (
                    r.contact_name
                  )}
                </Table.Td>
                <Table.Td>{t(`broadcasts.recipient.${r.message_status ?? r.status}`)}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={r.error ? "red" : "dimmed"}>
                    {r.error ? `${r.error.message ?? ""} (${r.error.code ?? ""})` : r.reason ? t(`broadcasts.reason.${r.reason}`) : ""}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** The template's text with each variable named by where its value comes from. */
function TemplateText({ broadcast }: { broadcast: Broadcast }) {
  const { t } = useTranslation();
  const templates = useTemplates(broadcast.channel_id);
  const template = templates.data?.find((tpl) => tpl.id === broadcast.content.template_id);
  const variables = broadcast.content.variables ?? [];
  if (!template) return <>{t("broadcasts.detail.templateVariables", { count: variables.length })}</>;
  const describe = (v: Variable) => (v.source === "text" || v.source === "field" ? v.value || "" : t(`broadcasts.variable.${v.source}`));
  return (
    <>
      <Text span fw={600}>{`${template.name} (${template.language}) · `}</Text>
      {previewText(template.body, variables, describe)}
    </>
  );
}

export function BroadcastDetail() {
  const { t, i18n } = useTranslation();
  const { id = "" } = useParams();
  const broadcast = useBroadcast(id);
  const b = broadcast.data;
  if (broadcast.error) return <Alert color="red" m="md">{errorMessage(broadcast.error)}</Alert>;
  if (!b) return null;
  const chart = COUNTED.slice(1).map((key) => ({ count: t(`broadcasts.counts.${key}`), value: b.counts[key] }));
  return (
    <Box style={{ flex: 1, overflow: "auto", minWidth: 0 }}>
      <Stack gap="md" p="md">
        <Anchor component={Link} to="/broadcasts" size="sm">
          {t("broadcasts.detail.back")}
        </Anchor>
        <Group justify="space-between" wrap="wrap" align="flex-start">
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={2}>{b.name}</Title>
              <StatusBadge status={b.status} />
            </Group>
            <Text size="sm" c="dimmed">
              {b.channel_name}
              {when(b, i18n.language) && ` · ${when(b, i18n.language)}`}
              {b.time_zone && ` (${b.time_zone})`}
            </Text>
          </Stack>
          <Actions broadcast={b} />
        </Group>
        <CountsBar counts={b.counts} label={t("broadcasts.list.progressOf", { name: b.name })} />
        <SimpleGrid cols={{ base: 2, xs: 4, md: 7 }} spacing="xs">
          {COUNTED.map((key) => (
            <Paper key={key} withBorder p="xs" role="group" aria-label={t(`broadcasts.counts.${key}`)}>
              <Text size="xs" c="dimmed">
                {t(`broadcasts.counts.${key}`)}
              </Text>
              <Text fw={700} size="xl">
                {b.counts[key]}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
        {b.counts.recipients > 0 && (
          <BarChart
            h={180}
            data={chart}
            dataKey="count"
            series={[{ name: "value", label: t("broadcasts.counts.recipients"), color: "teal.6" }]}
            yAxisProps={{ allowDecimals: false }}
          />
        )}
        <Paper withBorder p="sm">
          <Text size="sm" c="dimmed">
            {t(`broadcasts.content.${b.content.kind}`)}
          </Text>
          <Text style={{ whiteSpace: "pre-wrap" }}>{b.content.kind === "text" ? b.content.body : <TemplateText broadcast={b} />}</Text>
        </Paper>
        {b.status !== "draft" && <Recipients broadcast={b} />}
      </Stack>
    </Box>
  );
}
