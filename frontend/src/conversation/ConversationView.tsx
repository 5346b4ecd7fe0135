// One conversation: history, who is typing, the composer (reply or note) and the main actions.
import { ActionIcon, Alert, Badge, Box, Button, Drawer, Group, ScrollArea, Select, Stack, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SlaChip } from "../sla/SlaChip";
import { Link, useNavigate, useParams } from "react-router-dom";
import { type Me, api, unwrap } from "../api/client";
import { type ShortcutAction, useShortcuts } from "../components/Shortcuts";
import { useConversationCommands } from "../components/commands";
import { ContactPanel } from "../contacts/ContactPanel";
import { HandRaised, HelpButton, TakeOverButton } from "../supervision/Hands";
import { MonitorButton, useMonitorAsked, useMonitoring } from "../supervision/Monitor";
import { supervisesTeam, useRights } from "../supervision/rights";
import { Bubble } from "./Bubble";
import { Composer } from "./Composer";
import { useMembers } from "../hooks/useMembers";
import { byTime, rememberConversations, useLiveValue } from "../live/cache";
import { liveKeys } from "../live/keys";
import type { Typing } from "../live/apply";
import { conversationQuery, messagesQuery } from "../live/queries";
import { ConversationCsat } from "../csat/ConversationCsat";
import { ConversationTags } from "./ConversationTags";
import { ConversationWorkflows } from "./ConversationWorkflows";
import { SimilarConversations } from "./SimilarConversations";
import { newestInbound, useMarkRead } from "../inbox/unread";
import { Explanation } from "../routing/Explanation";
import { ContactAvatar } from "../contacts/ContactAvatar";
import { serverNow } from "../api/serverClock";
import { nextAfterClose, shownConversations } from "../inbox/next";
import { useViewing } from "./viewing";
import { BackToMenu } from "./BackToMenu";
import { useMessageFocus } from "../search/useMessageFocus";
import { Menu } from "../components/Menu";


export function ConversationView({ me }: { me: Me }) {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const phone = useMediaQuery("(max-width: 48em)");
  const wide = useMediaQuery("(min-width: 75em)");
  const [contactOpen, setContactOpen] = useState(false);
  useEffect(() => setContactOpen(false), [id]);
  // Kept current by the socket's frames (live/apply.ts), like every query.
  const conversation = useQuery(conversationQuery(id));
  const history = useQuery(messagesQuery(id));
  const typing = useLiveValue<Typing | null>(liveKeys.typing(id), null);
  const viewing = useLiveValue<Record<string, number>>(liveKeys.viewing(id), {});
  const { names } = useMembers();
  const viewers = Object.entries(viewing ?? {})
    .filter(([user, until]) => user !== me.user.id && until > Date.now())
    .map(([user]) => names[user] ?? t("conversation.someone"));
  const outcomes = useQuery({ queryKey: ["outcomes"], queryFn: () => unwrap(api.GET("/api/v1/tags", { params: { query: { outcomes_only: true } } })) });
  const current = conversation.data;
  const list = [...(history.data?.items ?? [])].sort(byTime);

  useMarkRead(id, newestInbound(list));
  // Monitoring shows nobody as viewing: no viewing signal while it is asked for.
  const rights = useRights();
  const supervising = supervisesTeam(rights.data, current?.team?.id ?? null);
  const monitorAsked = useMonitorAsked();
  const monitoring = useMonitoring(id, supervising && Boolean(current));
  useViewing(id, Boolean(conversation.data) && !monitorAsked);
  // Viewers who stopped renewing drop off even when nothing else changes on screen.
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(timer);
  }, []);

  const bottom = useRef<HTMLDivElement>(null);
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [list.length]);
  // A search hit opens the conversation at its message (after the scroll to the newest).
  useMessageFocus(list.length);

  const refresh = () => queries.invalidateQueries({ queryKey: ["conversation", id] });
  const act = useMutation({
    mutationFn: async (action: "take" | "close" | "reopen") => {
      const path = { params: { path: { conversation_id: id } } };
      if (action === "take" && me.user.id) {
        return unwrap(api.POST("/api/v1/conversations/{conversation_id}/assign", { ...path, body: { assignee_id: me.user.id } }));
      }
      if (action === "close") {
        return unwrap(api.POST("/api/v1/conversations/{conversation_id}/close", { ...path, body: { outcome: outcome ?? null } }));
      }
      return unwrap(api.POST("/api/v1/conversations/{conversation_id}/reopen", path));
    },
    onMutate: (action) => (action === "close" ? nextAfterClose(shownConversations(), id) : undefined),
    onSuccess: (c, action, next) => {
      rememberConversations(queries, [c]);
      void refresh();
      // Closed: on to the next conversation of the view (below, else above, else none).
      if (action === "close") navigate(next ? `/conversations/${next}` : "/");
    },
  });
  const [outcome, setOutcome] = useState<string | null>(null);
  const [composeMode, setComposeMode] = useState<{ mode: "reply" | "note"; at: number }>({ mode: "reply", at: 0 });
  const onShortcut = useCallback(
    (action: ShortcutAction) => {
      if (action === "reply" || action === "note") setComposeMode({ mode: action, at: Date.now() });
      else if (action === "assign") act.mutate("take");
      else if (action === "close") act.mutate("close");
    },
    [act],
  );
  useShortcuts(onShortcut);
  // Opening a conversation takes the focus to it: its heading, which names the contact.
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = Boolean(current);
  useEffect(() => {
    if (shown) heading.current?.focus({ preventScroll: true });
  }, [id, shown]);
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const change = useMutation({
    mutationFn: async (what: { transfer?: string; snooze?: string; priority?: Priority }) => {
      const path = { params: { path: { conversation_id: id } } };
      if (what.transfer) {
        return unwrap(api.POST("/api/v1/conversations/{conversation_id}/transfer", { ...path, body: { team_id: what.transfer } }));
      }
      if (what.snooze) {
        return unwrap(api.POST("/api/v1/conversations/{conversation_id}/snooze", { ...path, body: { until: what.snooze } }));
      }
      return unwrap(api.PATCH("/api/v1/conversations/{conversation_id}", { ...path, body: { priority: what.priority ?? null } }));
    },
    onSuccess: (c) => {
      rememberConversations(queries, [c]);
      void refresh();
    },
  });
  useConversationCommands(id, {
    snooze: (until) => change.mutate({ snooze: (until === "hour" ? new Date(serverNow() + 3_600_000) : tomorrowAtNine()).toISOString() }),
    priority: (priority) => change.mutate({ priority }),
  });

  if (conversation.error) return <Alert color="red" m="md">{t("app.error", { message: conversation.error.message })}</Alert>;
  if (!current) return <Text p="md">{t("app.loading")}</Text>;
  const canWrite = me.workspace?.role !== "viewer";
  return (
    <Group gap={0} align="stretch" wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
    <Stack gap={0} style={{ flex: 1, minWidth: 0 }} h="calc(100dvh - 56px)">
      <Group p="sm" justify="space-between" style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }} wrap="wrap" gap="xs">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          {phone && (
            <ActionIcon component={Link} to="/" variant="subtle" aria-label={t("conversation.back")}>
              ←
            </ActionIcon>
          )}
          <ContactAvatar name={current.contact.name} url={current.contact.avatar_url} />
          <Box style={{ minWidth: 0 }}>
            <Title ref={heading} tabIndex={-1} order={2} size="h4" lineClamp={1}>
              {current.contact.name}
            </Title>
            <Text size="xs" c="dimmed" truncate>
              {current.channel.name}
              {current.team ? ` · ${t("conversation.team", { name: current.team.name })}` : ""}
              {current.assignee ? ` · ${t("conversation.assignedTo", { name: current.assignee.name })}` : ""}
            </Text>
          </Box>
          <Badge variant="light">{t(`status.${current.status}`)}</Badge>
          <SlaChip sla={current.sla} size="sm" />
          <HandRaised conversationId={id} />
          {!wide && (
            // Narrower screens (phones, tablets) open the contact's panel over the conversation.
            <Button size="compact-xs" variant="default" onClick={() => setContactOpen(true)}>
              {t("contact.title")}
            </Button>
          )}
          <Explanation me={me} conversation={current} />
          {viewers.length > 0 && (
            <Text size="xs" c="dimmed" role="status">
              {t("conversation.viewing", { names: viewers.join(", ") })}
            </Text>
          )}
        </Group>
        {canWrite && (
          <Group gap="xs" wrap="wrap">
            {supervising && current.assignee?.id !== me.user.id && <MonitorButton monitoring={monitoring} />}
            {current.status !== "closed" && supervising && current.assignee?.id !== me.user.id && (
              <TakeOverButton conversationId={id} assigneeName={current.assignee?.name} />
            )}
            {current.status !== "closed" && !supervising && <HelpButton conversationId={id} />}
            {current.status !== "closed" && <BackToMenu conversationId={id} version={current.version} />}
            {current.status !== "closed" && !phone && (
              <>
                <Select
                  size="xs"
                  w={110}
                  aria-label={t("conversation.priority")}
                  data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                  value={current.priority}
                  allowDeselect={false}
                  onChange={(p) => p && change.mutate({ priority: p as Priority })}
                />
                <Select
                  size="xs"
                  w={160}
                  aria-label={t("conversation.transfer")}
                  placeholder={t("conversation.transfer")}
                  data={(teams.data ?? []).filter((team) => team.id !== current.team?.id).map((team) => ({ value: team.id, label: team.name }))}
                  value={null}
                  onChange={(team) => team && change.mutate({ transfer: team })}
                />
                <Menu>
                  <Menu.Target>
                    <Button size="xs" variant="default">
                      {t("conversation.snooze")}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item onClick={() => change.mutate({ snooze: new Date(serverNow() + 3_600_000).toISOString() })}>
                      {t("conversation.snoozeHour")}
                    </Menu.Item>
                    <Menu.Item onClick={() => change.mutate({ snooze: tomorrowAtNine().toISOString() })}>
                      {t("conversation.snoozeTomorrow")}
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </>
            )}
            {current.assignee?.id !== me.user.id && current.status !== "closed" && (
              <Button size="xs" variant="light" onClick={() => act.mutate("take")} loading={act.isPending}>
                {t("conversation.take")}
              </Button>
            )}
            {current.status !== "closed" ? (
              <>
                <Select
                  size="xs"
                  w={150}
                  aria-label={t("conversation.outcome")}
                  placeholder={t("conversation.outcome")}
                  data={(outcomes.data ?? []).map((o) => o.name)}
                  value={outcome}
                  onChange={setOutcome}
                  clearable
                />
                <Button size="xs" color="gray" onClick={() => act.mutate("close")}>
                  {t("conversation.close")}
                </Button>
              </>
            ) : (
              <Button size="xs" onClick={() => act.mutate("reopen")}>
                {t("conversation.reopen")}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <ConversationTags conversation={current} canWrite={canWrite} />
      <ConversationCsat conversationId={current.id} closedAt={current.closed_at} />
      <ConversationWorkflows conversationId={current.id} me={me} closed={current.status === "closed"} />
      <SimilarConversations conversationId={current.id} />
      <ScrollArea style={{ flex: 1 }} p="md" bg="gray.0">
        <Stack gap="xs" role="log" aria-live="polite">
          {history.isPending && <Text>{t("app.loading")}</Text>}
          {list.map((m, i) => {
            const day = dayOf(m.created_at, i18n.language);
            const previous = list[i - 1];
            const separator = !previous || dayOf(previous.created_at, i18n.language) !== day;
            return (
              <Fragment key={m.id}>
                {separator && (
                  <Text size="xs" c="dimmed" ta="center" role="separator">
                    {day}
                  </Text>
                )}
                <Bubble message={m} canRetry={canWrite} />
              </Fragment>
            );
          })}
          {typing && typing.until > Date.now() && (
            <Text size="xs" c="dimmed">
              {typing.visitor
                ? t("conversation.visitorTyping")
                : t("conversation.typing", { name: (typing.userId && names[typing.userId]) || t("conversation.someone") })}
            </Text>
          )}
          <div ref={bottom} />
        </Stack>
      </ScrollArea>
      {current.status === "closed" && <Alert color="gray" radius={0}>{t("conversation.closedBanner")}</Alert>}
      {canWrite && <Composer conversationId={id} closed={current.status === "closed"} focus={composeMode} channelId={current.channel.id} channelType={current.channel.type} windowExpiresAt={current.window_expires_at} assignee={current.assignee} me={me.user.id} canWhisper={supervising} />}
    </Stack>
    {wide && <ContactPanel contactId={current.contact.id} canWrite={canWrite} />}
    {!wide && (
      <Drawer
        opened={contactOpen}
        onClose={() => setContactOpen(false)}
        position="right"
        size={320}
        padding="xs"
        title={current.contact.name}
        closeButtonProps={{ "aria-label": t("conversation.closeContact") }}
      >
        <ContactPanel contactId={current.contact.id} canWrite={canWrite} />
      </Drawer>
    )}
    </Group>
  );
}

function dayOf(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(new Date(iso));
}

const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
type Priority = (typeof PRIORITIES)[number];

function tomorrowAtNine(): Date {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d;
}
