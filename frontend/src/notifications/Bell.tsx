// The bell: the member's notifications (mentions, assignments), unread ones first; opening one
// opens its conversation and marks it read. Live: the socket refetches on notification events.
import { ActionIcon, Badge, Box, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { serverNow } from "../api/serverClock";
import { formatWait } from "../i18n";
import { type Notification, notificationTitle, unreadBadge } from "./text";

export const NOTIFICATIONS_KEY = ["notifications"] as const;

export function Bell() {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const [opened, setOpened] = useState(false);
  const queries = useQueryClient();
  const navigate = useNavigate();
  const list = useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/notifications", { params: { query: { order: "unread_first", limit: 30 } } })),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  const read = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/notifications/{notification_id}/read", { params: { path: { notification_id: id } } })),
    onSettled: refresh,
  });
  const readAll = useMutation({ mutationFn: () => unwrap(api.POST("/api/v1/notifications/read-all")), onSettled: refresh });
  const unread = list.data?.unread_count ?? 0;
  const open = (n: Notification) => {
    setOpened(false);
    if (!n.read_at) read.mutate(n.id);
    // News on a quality review opens Quality (the queue, or an agent's own reviews); else the conversation.
    navigate(n.kind === "review" ? "/quality" : `/conversations/${n.conversation.id}`);
  };
  const label = unread ? t("notifications.bellUnread", { count: unread }) : t("notifications.bell");
  return (
    <Popover opened={opened} onChange={setOpened} width={phone ? "calc(100vw - 16px)" : 360} position="bottom-end" shadow="md" trapFocus returnFocus>
      <Popover.Target>
        <ActionIcon variant="subtle" size="lg" aria-label={label} onClick={() => setOpened((o) => !o)}>
          <Indicator label={unreadBadge(unread)} size={16} disabled={unread === 0} color="red" offset={2}>
            <BellIcon />
          </Indicator>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p={0} role="dialog" aria-label={t("notifications.title")}>
        <Group justify="space-between" px="sm" py="xs" style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}>
          <Text fw={600} size="sm">
            {t("notifications.title")}
          </Text>
          <Button size="compact-xs" variant="subtle" disabled={unread === 0} loading={readAll.isPending} onClick={() => readAll.mutate()}>
            {t("notifications.readAll")}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={phone ? "60dvh" : 420}>
          {list.data && list.data.items.length === 0 && (
            <Text size="sm" c="dimmed" p="md">
              {t("notifications.empty")}
            </Text>
          )}
          <Stack gap={0} component="ul" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {(list.data?.items ?? []).map((n) => (
              <li key={n.id}>
                <Item notification={n} onOpen={() => open(n)} />
              </li>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}

function Item({ notification: n, onOpen }: { notification: Notification; onOpen: () => void }) {
  const { t, i18n } = useTranslation();
  const title = notificationTitle(n, t);
  return (
    <UnstyledButton
      onClick={onOpen}
      display="block"
      w="100%"
      px="sm"
      py="xs"
      bg={n.read_at ? undefined : "teal.0"}
      style={{ borderBottom: "1px solid var(--mantine-color-gray-2)" }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={n.read_at ? 400 : 600} truncate>
          {title}
        </Text>
        <Group gap={4} wrap="nowrap" style={{ flex: "none" }}>
          {!n.read_at && (
            <Badge size="xs" color="teal" variant="filled">
              {t("notifications.new")}
            </Badge>
          )}
          <Text size="xs" c="dimmed">
            {t("notifications.ago", { time: formatWait(n.created_at, serverNow(), i18n.language) })}
          </Text>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" truncate>
        {t("notifications.about", { contact: n.conversation.contact_name, channel: n.conversation.channel_name })}
      </Text>
      {n.excerpt && (
        <Box>
          <Text size="xs" lineClamp={2}>
            {n.excerpt}
          </Text>
        </Box>
      )}
    </UnstyledButton>
  );
}

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
