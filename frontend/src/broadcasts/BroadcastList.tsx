// Broadcasts: each with its channel, status, when, and its recipients' progress as a bar.
import { Alert, Anchor, Box, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { errorMessage } from "../api/client";
import { type Broadcast, useBroadcasts } from "./api";
import { CountsBar } from "./CountsBar";
import { StatusBadge } from "./StatusBadge";

export function when(b: Broadcast, language: string): string {
  const at = b.started_at ?? b.send_at;
  if (!at) return "";
  const format = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short", timeZone: b.time_zone ?? undefined });
  return format.format(new Date(at));
}

export function BroadcastList() {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const broadcasts = useBroadcasts();
  const items = broadcasts.data ?? [];
  return (
    <Box style={{ flex: 1, overflow: "auto", minWidth: 0 }}>
      <Stack gap="md" p="md">
        <Group justify="space-between" wrap="wrap">
          <Title order={2}>{t("broadcasts.list.title")}</Title>
          <Button component={Link} to="/broadcasts/new">
            {t("broadcasts.list.new")}
          </Button>
        </Group>
        {broadcasts.error && <Alert color="red">{errorMessage(broadcasts.error)}</Alert>}
        {broadcasts.data && items.length === 0 && <Text c="dimmed">{t("broadcasts.list.empty")}</Text>}
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={phone ? 340 : 0}>
            <Table striped highlightOnHover aria-label={t("broadcasts.list.title")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("broadcasts.list.name")}</Table.Th>
                  <Table.Th>{t("broadcasts.list.status")}</Table.Th>
                  {!phone && <Table.Th>{t("broadcasts.list.channel")}</Table.Th>}
                  {!phone && <Table.Th>{t("broadcasts.list.when")}</Table.Th>}
                  <Table.Th>{t("broadcasts.list.progress")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((b) => (
                  <Table.Tr key={b.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/broadcasts/${b.id}`}>
                        {b.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={b.status} />
                    </Table.Td>
                    {!phone && <Table.Td>{b.channel_name}</Table.Td>}
                    {!phone && <Table.Td>{when(b, i18n.language)}</Table.Td>}
                    <Table.Td>
                      <Stack gap={2}>
                        <CountsBar counts={b.counts} label={t("broadcasts.list.progressOf", { name: b.name })} />
                        <Text size="xs" c="dimmed">
                          {t("broadcasts.list.summary", { sent: b.counts.sent, read: b.counts.read, total: b.counts.recipients })}
                        </Text>
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Box>
  );
}
