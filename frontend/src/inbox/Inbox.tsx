// The inbox: views with live counts, a status filter, and conversations newest first.
import { Badge, Box, Button, Group, ScrollArea, SegmentedControl, Select, Stack, Text, UnstyledButton } from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useMatch, useNavigate } from "react-router-dom";
import { type Conversation, type Me, api, unwrap } from "../api/client";
import { serverNow } from "../api/serverClock";
import { formatWait } from "../i18n";
import { type ShortcutAction, useShortcuts } from "../components/Shortcuts";
import { useLiveValue } from "../live/cache";
import type { ReadMark } from "../live/frames";
import { liveKeys } from "../live/keys";
import { ContactAvatar } from "../contacts/ContactAvatar";
import { QueueLink } from "../routing/Queue";
import { AssigneeAndPriority, SavedViews } from "./SavedViews";
import { type ReadState, newestInboundPlaces, unreadCount } from "./unread";
import { type InboxFilters, type SavedView, fromViewFilters, listQuery, toViewFilters } from "./views";
import { setShownConversations } from "./next";
import { rowLine, rowTime } from "./row";
import { SlaChip } from "../sla/SlaChip";
import type { Message } from "../api/client";

const VIEWS: View[] = ["mine", "unassigned", "team", "all"];

type View = "mine" | "unassigned" | "team" | "all";
type Status = "open" | "pending" | "snoozed" | "closed";

export function Inbox({ me, width }: { me: Me; width: number | string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>(me.workspace?.role === "agent" ? "mine" : "all");
  const [statuses, setStatuses] = useState<Status[]>(["open"]);
  const [filters, setFilters] = useState<InboxFilters>({});
  const [saved, setSaved] = useState<SavedView | null>(null);
  const chooseView = (v: View) => {
    if (saved) {
      // Leaving a saved view leaves its filters too.
      setFilters({});
      setStatuses(["open"]);
    }
    setSaved(null);
    setView(v);
  };
  const showSaved = useCallback((v: SavedView) => {
    const shown = fromViewFilters(v.filters);
    setSaved(v);
    setView("all");
    setStatuses(shown.statuses);
    setFilters(shown.filters);
  }, []);
  const forgetSaved = useCallback(() => setSaved(null), []);
  const status = statuses.length === 1 ? statuses[0] : undefined;
  const asView = useMemo(() => toViewFilters(view, statuses, filters, me.user.id), [view, statuses, filters, me.user.id]);
  const channels = useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")) });
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")) });
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const counts = useQuery({ queryKey: ["counts"], queryFn: () => unwrap(api.GET("/api/v1/conversations/counts")) });
  const list = useInfiniteQuery({
    queryKey: ["conversations", view, statuses, filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/conversations", {
          params: { query: { view, status: statuses, limit: 25, cursor: pageParam, ...listQuery(filters) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  // The list's pages are kept current by the socket's frames (live/apply.ts); what arrived
  // since they were fetched (read cursors moved, messages) is shown until they are fetched again.
  const liveReads = useLiveValue<Record<string, ReadMark>>(liveKeys.reads, {});
  const arrived = useLiveValue<Record<string, Message[]>>(liveKeys.arrived, {});
  const seenInbound = useMemo(() => newestInboundPlaces(Object.fromEntries(Object.values(arrived).flat().map((m) => [m.id, m]))), [arrived]);
  const serverReads = Object.assign({}, ...(list.data?.pages ?? []).map((p) => p.reads ?? {})) as Record<string, ReadState>;
  const items = (list.data?.pages ?? []).flatMap((p) => p.items);
  const navigate = useNavigate();
  const current = useMatch("/conversations/:id")?.params.id;
  // Closing a conversation moves on to the next one of this view (ConversationView asks).
  // (Without those that just left it, e.g. closed a moment ago, before the list is fetched again.)
  const shownIds = items
    .filter((c) => statuses.includes(c.status as Status))
    .map((c) => c.id)
    .join(",");
  useEffect(() => setShownConversations(shownIds ? shownIds.split(",") : []), [shownIds]);
  const onShortcut = useCallback(
    (action: ShortcutAction, key: string) => {
      if (action === "views") {
        chooseView(VIEWS[Number(key) - 1] ?? "all");
        return;
      }
      if (action !== "next" && action !== "previous") return;
      const at = items.findIndex((c) => c.id === current);
      const next = items[action === "next" ? at + 1 : Math.max(0, at - 1)];
      if (next) navigate(`/conversations/${next.id}`);
    },
    [items, current, navigate],
  );
  useShortcuts(onShortcut);
  const count = (v: View) =>
    v === "team" ? Object.values(counts.data?.teams ?? {}).reduce((a, b) => a + b, 0) : (counts.data?.[v] ?? 0);

  return (
    <Stack gap={0} w={width} style={{ borderRight: "1px solid var(--mantine-color-gray-3)", flex: "none" }} h="100%">
      <Box p="xs">
        <SegmentedControl
          fullWidth
          size="xs"
          value={saved ? "" : view}
          onChange={(v) => chooseView(v as View)}
          data={VIEWS.map((v) => ({
            value: v,
            label: `${t(`views.${v}`)} ${status === "open" ? count(v) : ""}`.trim(),
          }))}
        />
        <SavedViews me={me} selected={saved?.id ?? null} current={asView} onSelect={showSaved} onGone={forgetSaved} />
        <SegmentedControl
          mt="xs"
          fullWidth
          size="xs"
          aria-label={t("inbox.filterStatus")}
          value={status ?? ""}
          onChange={(s) => setStatuses([s as Status])}
          data={(["open", "pending", "snoozed", "closed"] as Status[]).map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <Group mt="xs" gap={6} grow>
          <Select
            size="xs"
            clearable
            aria-label={t("inbox.channel")}
            placeholder={t("inbox.channel")}
            data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={filters.channel_id ?? null}
            onChange={(v) => setFilters((f) => ({ ...f, channel_id: v ?? undefined }))}
          />
          <Select
            size="xs"
            clearable
            aria-label={t("inbox.team")}
            placeholder={t("inbox.team")}
            data={(teams.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={filters.team_id ?? null}
            onChange={(v) => setFilters((f) => ({ ...f, team_id: v ?? undefined }))}
          />
          <Select
            size="xs"
            clearable
            aria-label={t("inbox.tag")}
            placeholder={t("inbox.tag")}
            data={(tags.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={filters.tag_id ?? null}
            onChange={(v) => setFilters((f) => ({ ...f, tag_id: v ?? undefined }))}
          />
        </Group>
        <AssigneeAndPriority filters={filters} onChange={setFilters} />
        <QueueLink me={me} />
      </Box>
      <ScrollArea style={{ flex: 1 }} aria-label={saved?.name ?? t(`views.${view}`)}>
        {list.isPending && <Text p="md">{t("app.loading")}</Text>}
        {!list.isPending && items.length === 0 && (
          <Text p="md" c="dimmed">
            {t("inbox.empty")}
          </Text>
        )}
        <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {items.map((c) => (
            <li key={c.id}>
              <Row
                conversation={c}
                live={arrived[c.id]}
                unread={unreadCount(c, serverReads[c.id], liveReads[c.id], c.id === current, seenInbound[c.id])}
              />
            </li>
          ))}
        </ul>
        {list.hasNextPage && (
          <MoreOnScroll onMore={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>
            <Button variant="subtle" fullWidth onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t("inbox.more")}
            </Button>
          </MoreOnScroll>
        )}
      </ScrollArea>
    </Stack>
  );
}

function Row({ conversation: c, unread, live }: { conversation: Conversation; unread: number; live?: Message[] }) {
  const { t, i18n } = useTranslation();
  const line = rowLine(c, live);
  const at = line.at ?? c.last_activity_at;
  return (
    <UnstyledButton
      component={NavLink}
      to={`/conversations/${c.id}`}
      display="block"
      px="md"
      py="sm"
      style={({ isActive }: { isActive: boolean }) => ({
        borderBottom: "1px solid var(--mantine-color-gray-2)",
        background: isActive ? "var(--mantine-color-teal-0)" : undefined,
      })}
    >
      {/* The contact's name takes the room first; the channel's name gives way (down to nothing). */}
      <Group justify="space-between" wrap="nowrap" gap={6}>
        <Group gap={8} wrap="nowrap" style={{ minWidth: 0, flex: "1 1 auto" }}>
          <ContactAvatar name={c.contact.name} url={c.contact.avatar_url} size="sm" />
          <Text fw={unread ? 800 : 600} truncate>
            {c.contact.name}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" truncate style={{ flex: "0 1000 auto", minWidth: 0, maxWidth: "40%" }}>
          {c.channel.name}
        </Text>
        <Text size="xs" c={unread ? "teal.9" : "dimmed"} fw={unread ? 700 : undefined} style={{ flex: "none" }} title={new Date(at).toLocaleString(i18n.language)}>
          <time dateTime={at} aria-label={t("inboxRow.lastMessage", { time: new Date(at).toLocaleString(i18n.language) })}>
            {rowTime(at, serverNow(), i18n.language)}
          </time>
        </Text>
        {unread > 0 && (
          <Badge size="sm" circle color="teal" aria-label={t("savedViews.unread", { count: unread })} style={{ flex: "none" }}>
            {unread}
          </Badge>
        )}
      </Group>
      <Text size="sm" c={unread ? undefined : "dimmed"} fw={unread ? 600 : undefined} truncate>
        {line.text}
      </Text>
      <Group gap={6} mt={4}>
        <SlaChip sla={c.sla} />
        {c.waiting_since && c.status === "open" && (
          <Badge size="xs" color="orange" variant="light">
            {t("inbox.waiting", { time: formatWait(c.waiting_since, serverNow(), i18n.language) })}
          </Badge>
        )}
        {c.priority !== "normal" && c.priority !== "low" && (
          <Badge size="xs" color="red" variant="light">
            {t(`priority.${c.priority}`)}
          </Badge>
        )}
        <Badge size="xs" variant="outline" color="gray">
          {c.assignee?.name ?? t("inbox.unassigned")}
        </Badge>
      </Group>
    </UnstyledButton>
  );
}

/** Infinite scroll: loads the next page as the end of the list scrolls into view (the button stays for keyboards). */
function MoreOnScroll({ onMore, busy, children }: { onMore: () => void; busy: boolean; children: ReactNode }) {
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(onMore);
  more.current = onMore;
  useEffect(() => {
    const node = sentinel.current;
    if (!node || busy || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) more.current();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [busy]);
  return <div ref={sentinel}>{children}</div>;
}
