// The command palette (Ctrl/Cmd+K): go anywhere, find a contact or a conversation, act on the open one.
import "@mantine/spotlight/styles.css";
import { ActionIcon, Group, Kbd, Loader, Text } from "@mantine/core";
import { useDebouncedValue, useHotkeys, useMediaQuery } from "@mantine/hooks";
import { Spotlight, createSpotlight, useSpotlight } from "@mantine/spotlight";
import { type InfiniteData, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMatch, useNavigate } from "react-router-dom";
import { type Conversation, type Me, api, unwrap } from "../api/client";
import { conversationQuery } from "../live/queries";
import { useQueueTeams } from "../routing/hooks";
import { type PriorityLevel, conversationCommands } from "./commands";
import { rank } from "./search";
import { hitPath } from "../search/open";
import { snippetText } from "../search/Snippet";
import { type ShortcutAction, runShortcut } from "./Shortcuts";

const [store, palette] = createSpotlight();

const VIEWS = ["mine", "unassigned", "team", "all"] as const;
const PRIORITIES: PriorityLevel[] = ["low", "normal", "high", "urgent"];
const SETTINGS_TABS = ["members", "channels", "teams", "tags", "canned", "tokens", "custom-fields"] as const;
const MIN_SEARCH = 2;
const KEYS = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.userAgent) ? "⌘ K" : "Ctrl+K";

interface Command {
  id: string;
  group: "conversation" | "goto";
  label: string;
  keywords: string[];
  keys?: string;
  run: () => void;
}

interface Result {
  id: string;
  label: string;
  description: string;
  run: () => void;
}

type ConversationPage = { items: Conversation[] };

/** Conversations the app already holds: every list fetched so far and every one opened (the
 * socket's frames keep both current). */
function knownConversations(opened: unknown[], cached: unknown[]): Conversation[] {
  const all = new Map<string, Conversation>();
  for (const data of cached) {
    const pages = (data as InfiniteData<ConversationPage> | undefined)?.pages ?? [data as ConversationPage | undefined];
    for (const page of pages) for (const c of page?.items ?? []) all.set(c.id, c);
  }
  for (const c of opened as (Conversation | undefined)[]) {
    if (!c?.id) continue;
    const known = all.get(c.id);
    if (!known || known.version <= c.version) all.set(c.id, c);
  }
  return [...all.values()];
}

export function CommandPalette({ me }: { me: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const phone = useMediaQuery("(max-width: 48em)");
  const { opened, selected } = useSpotlight(store);
  const [query, setQuery] = useState("");
  const [search] = useDebouncedValue(query.trim(), 200);
  const openId = useMatch("/conversations/:id")?.params.id;
  // Every route hook runs on every render (hooks must not be skipped by short-circuiting).
  const offInbox = [useMatch("/settings"), useMatch("/profile"), useMatch("/queue/*")];
  const elsewhere = offInbox.some(Boolean);
  const open = useQuery({ ...conversationQuery(openId ?? ""), enabled: Boolean(openId) }).data;
  const role = me.workspace?.role;
  const admin = role === "owner" || role === "manager";
  const hasQueue = useQueueTeams(me).length > 0;

  // What had the focus before the palette, and what to do once it has closed.
  const opener = useRef<HTMLElement | null>(null);
  const afterClose = useRef<(() => void) | null>(null);
  // Keys typed before the search field has the focus go into it (not to the inbox's shortcuts).
  const early = useRef<((event: KeyboardEvent) => void) | null>(null);
  const stopCatching = () => {
    if (early.current) window.removeEventListener("keydown", early.current, true);
    early.current = null;
  };
  const toggle = () => {
    if (!store.getState().opened) {
      opener.current = document.activeElement as HTMLElement | null;
      setQuery("");
      stopCatching();
      early.current = (event: KeyboardEvent) => {
        if (!store.getState().opened) return stopCatching();
        if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        setQuery((q) => q + event.key);
      };
      window.addEventListener("keydown", early.current, true);
    }
    palette.toggle();
  };
  useHotkeys([["mod+K", toggle]], []);
  const onClosed = () => {
    stopCatching();
    const next = afterClose.current;
    afterClose.current = null;
    if (next) next();
    else if (opener.current?.isConnected) opener.current.focus();
  };
  const later = (run: () => void) => () => {
    afterClose.current = run;
  };

  // A view is chosen through the inbox's own keys; off the inbox, go there first.
  const listShown = !elsewhere && (!phone || !openId);
  const [view, setView] = useState<string | null>(null);
  useEffect(() => {
    if (!view || !listShown) return;
    // A beat later, so the inbox that has just appeared is listening.
    const timer = setTimeout(() => {
      runShortcut("views", view);
      setView(null);
    }, 0);
    return () => clearTimeout(timer);
  }, [view, listShown]);

  const commands = useMemo<Command[]>(() => {
    const list: Command[] = [];
    const shortcut = (action: ShortcutAction, key: string) => later(() => runShortcut(action, key));
    if (open && role !== "viewer") {
      const ongoing = open.status !== "closed";
      const mine = open.assignee?.id === me.user.id;
      const add = (id: string, label: string, run: () => void, keys?: string, keywords: string[] = []) =>
        list.push({ id, group: "conversation", label, keywords, keys, run });
      if (ongoing && !mine) add("assign", t("palette.assign"), shortcut("assign", "a"), "a", [t("conversation.take")]);
      if (ongoing) add("close", t("palette.close"), shortcut("close", "e"), "e", [t("conversation.close")]);
      if (ongoing) add("reply", t("palette.reply"), shortcut("reply", "r"), "r", [t("conversation.reply")]);
      add("note", t("palette.note"), shortcut("note", "n"), "n", [t("conversation.note")]);
      if (ongoing) {
        const snooze = (until: "hour" | "tomorrow") => later(() => conversationCommands(open.id)?.snooze(until));
        add("snooze-hour", t("palette.snoozeHour"), snooze("hour"), undefined, [t("conversation.snooze")]);
        add("snooze-tomorrow", t("palette.snoozeTomorrow"), snooze("tomorrow"), undefined, [t("conversation.snooze")]);
        for (const level of PRIORITIES.filter((p) => p !== open.priority)) {
          add(
            `priority-${level}`,
            t("palette.priority", { level: t(`priority.${level}`) }),
            later(() => conversationCommands(open.id)?.priority(level)),
            undefined,
            [t("conversation.priority")],
          );
        }
      }
    }
    const go = (id: string, label: string, run: () => void, keys?: string, keywords: string[] = []) =>
      list.push({ id, group: "goto", label, keywords, keys, run });
    VIEWS.forEach((v, i) => {
      const choose = later(() => {
        if (!listShown) navigate("/");
        setView(String(i + 1));
      });
      go(`view-${v}`, t("palette.view", { name: t(`views.${v}`) }), choose, String(i + 1), [t("palette.inbox")]);
    });
    if (admin) {
      for (const tab of SETTINGS_TABS) {
        const name = tab === "custom-fields" ? t("customFields.title") : t(`settings.${tab}`);
        go(`settings-${tab}`, t("palette.settings", { name }), later(() => navigate(`/settings?tab=${tab}`)), undefined, [
          t("settings.title"),
        ]);
      }
    }
    if (admin) {
      const name = t("routing.settings.tab");
      go("settings-routing", t("palette.settings", { name }), later(() => navigate("/settings?tab=routing")), undefined, [t("settings.title")]);
    }
    if (hasQueue) go("queue", t("routing.queue.open"), later(() => navigate("/queue")), undefined, [t("routing.queue.agents")]);
    go("profile", t("palette.profile"), later(() => navigate("/profile")), undefined, [t("profile.open")]);
    return list;
  }, [open, role, admin, hasQueue, me.user.id, listShown, navigate, t]);

  // Contacts by name, phone or email (the server's search), with their latest conversations.
  const searching = opened && search.length >= MIN_SEARCH;
  const contacts = useQuery({
    queryKey: ["palette", "contacts", search],
    queryFn: () => unwrap(api.GET("/api/v1/contacts", { params: { query: { q: search, limit: 6 } } })),
    enabled: searching,
    staleTime: 10_000,
  });
  const found = searching ? (contacts.data?.items ?? []) : [];
  const threads = useQueries({
    queries: found.map((c) => ({
      queryKey: ["palette", "threads", c.id],
      queryFn: () => unwrap(api.GET("/api/v1/conversations", { params: { query: { contact_id: c.id, limit: 3 } } })),
      staleTime: 10_000,
    })),
  });

  // Messages and notes by their words (the server's full-text search), each opening at itself.
  const messages = useQuery({
    queryKey: ["palette", "search", search],
    queryFn: () => unwrap(api.GET("/api/v1/search", { params: { query: { q: search, kind: ["message", "note"], limit: 5 } } })),
    enabled: searching,
    staleTime: 10_000,
    retry: false,
  });
  const messageResults: Result[] = [];
  for (const hit of searching ? (messages.data?.items ?? []) : []) {
    const path = hitPath(hit);
    if (!path) continue;
    messageResults.push({
      id: `message-${hit.message_id ?? hit.contact_id}`,
      label: hit.contact_name,
      description: snippetText(hit.snippet),
      run: later(() => navigate(path)),
    });
  }
  const everywhere: Result[] = searching
    ? [{ id: "search-everywhere", label: t("search.palette.everywhere", { query: search }), description: "", run: later(() => navigate(`/search?q=${encodeURIComponent(search)}`)) }]
    : [];

  const describe = (c: Conversation) =>
    [c.channel.name, t(`status.${c.status}`), c.last_message_preview].filter(Boolean).join(" · ");
  const openConversation = (id: string) => later(() => navigate(`/conversations/${id}`));
  const contactResults: Result[] = [];
  const shown = new Set<string>();
  found.forEach((c, i) => {
    const latest = threads[i]?.data?.items[0];
    if (!latest) return;
    shown.add(latest.id);
    contactResults.push({
      id: `contact-${c.id}`,
      label: c.name,
      description: [c.phone, c.email, describe(latest)].filter(Boolean).join(" · "),
      run: openConversation(latest.id),
    });
  });
  const withoutThreads = found.filter((_, i) => threads[i]?.data && threads[i].data.items.length === 0);
  const cached = queries.getQueriesData({ queryKey: ["conversations"] }).map(([, data]) => data);
  const details = queries.getQueriesData({ queryKey: ["conversation"] }).map(([, data]) => data);
  const fetched = threads.flatMap((r) => r.data?.items ?? []);
  const local = search
    ? rank(
        search,
        knownConversations(details, cached).map((c) => ({
          conversation: c,
          label: c.contact.name,
          keywords: [c.contact.phone ?? "", c.contact.email ?? "", c.last_message_preview],
        })),
        6,
      ).map((m) => m.conversation)
    : [];
  const conversationResults: Result[] = [];
  for (const c of [...fetched, ...local]) {
    if (shown.has(c.id) || conversationResults.length >= 8) continue;
    shown.add(c.id);
    conversationResults.push({ id: `conversation-${c.id}`, label: c.contact.name, description: describe(c), run: openConversation(c.id) });
  }

  const rankedCommands = query.trim() ? rank(query, commands) : commands;
  const sections: { key: string; label: string; items: (Result & { keys?: string })[] }[] = [
    { key: "conversation", label: t("palette.groups.conversation"), items: rankedCommands.filter((c) => c.group === "conversation").map(asResult) },
    { key: "goto", label: t("palette.groups.goto"), items: rankedCommands.filter((c) => c.group === "goto").map(asResult) },
    { key: "contacts", label: t("palette.groups.contacts"), items: contactResults },
    { key: "conversations", label: t("palette.groups.conversations"), items: conversationResults },
    { key: "messages", label: t("search.palette.messages"), items: messageResults },
    { key: "search", label: t("search.nav"), items: everywhere },
  ].filter((s) => s.items.length > 0);
  const flat = sections.flatMap((s) => s.items);

  // Results that arrive later still start with the first one chosen.
  const listId = "command-palette-results";
  const resultKey = flat.map((r) => r.id).join(" ");
  useEffect(() => {
    if (opened) selectFirst(listId);
  }, [resultKey, opened]);

  const loading = searching && (contacts.isFetching || messages.isFetching || threads.some((r) => r.isFetching));
  const active = selected >= 0 ? flat[selected] : undefined;
  let empty: ReactNode = null;
  if (flat.length === 0 && query.trim()) empty = loading ? t("palette.searching") : t("palette.nothing");

  return (
    <>
      <ActionIcon variant="subtle" size="lg" aria-label={t("palette.open")} title={`${t("palette.open")} (${KEYS})`} onClick={toggle}>
        <SearchIcon />
      </ActionIcon>
      <Spotlight.Root
        store={store}
        query={query}
        onQueryChange={setQuery}
        shortcut={null}
        returnFocus={false}
        onSpotlightClose={onClosed}
      >
        <Spotlight.Search
          placeholder={t("palette.placeholder")}
          aria-label={t("palette.placeholder")}
          role="combobox"
          aria-expanded={flat.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active ? domId(active.id) : undefined}
          rightSection={loading ? <Loader size="xs" /> : undefined}
          onKeyDown={(event) => {
            // Enter runs the result shown as chosen: results that arrive while typing re-render
            // the list, and the list's own mark of the chosen one can lag behind.
            if (event.key === "Enter" && active) markChosen(listId, domId(active.id));
          }}
          onFocus={(event) => {
            stopCatching();
            const end = event.currentTarget.value.length;
            event.currentTarget.setSelectionRange(end, end);
          }}
        />
        {flat.length > 0 && (
          <Spotlight.ActionsList id={listId} role="listbox" aria-label={t("palette.results")} mah="min(440px, 60dvh)">
            {sections.map((section) => (
              <Spotlight.ActionsGroup key={section.key} label={section.label} role="group" aria-label={section.label}>
                {section.items.map((item) => (
                  <Spotlight.Action
                    key={item.id}
                    id={domId(item.id)}
                    role="option"
                    aria-selected={item === active}
                    label={item.label}
                    description={item.description || undefined}
                    rightSection={item.keys ? <Kbd size="xs">{item.keys}</Kbd> : undefined}
                    onClick={item.run}
                  />
                ))}
              </Spotlight.ActionsGroup>
            ))}
          </Spotlight.ActionsList>
        )}
        {withoutThreads.length > 0 && (
          <Text size="xs" c="dimmed" px="md" py={6}>
            {t("palette.noConversations", { names: withoutThreads.map((c) => c.name).join(", ") })}
          </Text>
        )}
        {empty && <Spotlight.Empty>{empty}</Spotlight.Empty>}
        <Spotlight.Footer>
          <Group gap="md" justify="center">
            <Text size="xs" c="dimmed">
              {t("palette.hint")}
            </Text>
          </Group>
        </Spotlight.Footer>
      </Spotlight.Root>
    </>
  );
}

function asResult(command: Command): Result & { keys?: string } {
  return { id: command.id, label: command.label, description: "", run: command.run, keys: command.keys };
}

/** Marks the first result as chosen, the way the palette marks one as the arrows move. */
function selectFirst(listId: string): void {
  const list = document.getElementById(listId);
  list?.querySelector("[data-selected]")?.removeAttribute("data-selected");
  const first = list?.querySelector("[data-action]");
  first?.setAttribute("data-selected", "true");
  store.updateState((state) => ({ ...state, selected: first ? 0 : -1 }));
}

/** Puts the list's chosen mark (what Enter clicks) on the option with `optionId`. */
function markChosen(listId: string, optionId: string): void {
  const list = document.getElementById(listId);
  const option = document.getElementById(optionId);
  if (!list || !option || !list.contains(option)) return;
  list.querySelector("[data-selected]")?.removeAttribute("data-selected");
  option.setAttribute("data-selected", "true");
}

function domId(id: string): string {
  return `palette-${id}`;
}

function SearchIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <circle cx="11" cy="11" r="7" />
      <path d="M20 20l-4-4" />
    </svg>
  );
}
