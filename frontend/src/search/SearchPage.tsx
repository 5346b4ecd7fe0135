// Search: every message, note and contact the member may see, best hits first, with filters,
// the matched words marked, and more results as they are asked for.
import { Alert, Badge, Button, Card, Chip, Collapse, Group, MultiSelect, Select, Stack, Text, TextInput, Title, UnstyledButton } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { useMembers } from "../hooks/useMembers";
import { useClientAccess } from "../hooks/useClientAccess";
import { dayStart } from "../settings/auditText";
import { type SearchHit, openHit } from "./open";
import { Snippet } from "./Snippet";

const KINDS = ["message", "note", "contact"] as const;
const STATUSES = ["open", "pending", "snoozed", "closed"] as const;
type Kind = (typeof KINDS)[number];
type Status = (typeof STATUSES)[number];
const PAGE = 20;

export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const [typed, setTyped] = useState(q);
  const [kinds, setKinds] = useState<Kind[]>([]);
  const [channel, setChannel] = useState<string | null>(null);
  const [team, setTeam] = useState<string | null>(null);
  const [agent, setAgent] = useState<string | null>(null);
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const client = useClientAccess();
  // On a phone the filters fold away behind one button, so the results stay in view.
  const phone = useMediaQuery("(max-width: 48em)");
  const [filtersShown, setFiltersShown] = useState(false);
  const chosen = [kinds.length, channel, team, agent, statuses.length, from, to].filter(Boolean).length;
  const members = useMembers();
  const channels = useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")), staleTime: 60_000 });
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")), staleTime: 60_000, enabled: !client });

  const filters = {
    q,
    kind: kinds.length ? kinds : undefined,
    channel_id: channel ?? undefined,
    team_id: team ?? undefined,
    assignee_id: agent ?? undefined,
    status: statuses.length ? statuses : undefined,
    since: dayStart(from),
    until: dayStart(to, 1),
  };
  const results = useInfiniteQuery({
    queryKey: ["search", filters],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/search", { params: { query: { ...filters, limit: PAGE, cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
    enabled: q.trim().length > 0,
  });
  const hits = results.data?.pages.flatMap((p) => p.items) ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(typed.trim() ? { q: typed.trim() } : {});
  };

  return (
    <Stack gap="md" p={{ base: "sm", sm: "lg" }} style={{ flex: 1, overflowY: "auto", minWidth: 0 }}>
      <Title order={2} size="h4">
        {t("search.title")}
      </Title>
      <form onSubmit={submit} role="search">
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <TextInput
            type="search"
            label={t("search.query")}
            description={t("search.syntax")}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            maxLength={200}
            style={{ flex: 1 }}
            data-autofocus
          />
          <Button type="submit">{t("search.submit")}</Button>
        </Group>
      </form>
      {phone && (
        <Button variant="default" size="xs" w="fit-content" aria-expanded={filtersShown} onClick={() => setFiltersShown((v) => !v)}>
          {t("search.filters", { count: chosen })}
        </Button>
      )}
      <Collapse in={!phone || filtersShown}>
        <Stack gap="md">
          <Chip.Group multiple value={kinds} onChange={(v) => setKinds(v as Kind[])}>
            <Group gap="xs" role="group" aria-label={t("search.kind")}>
              {KINDS.map((k) => (
                <Chip key={k} value={k} size="sm">
                  {t(`search.kinds.${k}`)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <Select
              label={t("search.channel")}
              placeholder={t("search.any")}
              clearable
              w={{ base: "100%", xs: 200 }}
              data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={channel}
              onChange={setChannel}
            />
            {!client && (
              <Select
                label={t("search.team")}
                placeholder={t("search.any")}
                clearable
                w={{ base: "100%", xs: 180 }}
                data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
                value={team}
                onChange={setTeam}
              />
            )}
            {!client && (
              <Select
                label={t("search.agent")}
                placeholder={t("search.any")}
                clearable
                searchable
                w={{ base: "100%", xs: 180 }}
                data={members.items.map((m) => ({ value: m.user_id, label: m.name }))}
                value={agent}
                onChange={setAgent}
              />
            )}
            <MultiSelect
              label={t("search.status")}
              placeholder={statuses.length ? undefined : t("search.any")}
              clearable
              w={{ base: "100%", xs: 220 }}
              data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
              value={statuses}
              onChange={(v) => setStatuses(v as Status[])}
            />
            <TextInput label={t("search.from")} type="date" w={{ base: "47%", xs: 160 }} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
            <TextInput label={t("search.to")} type="date" w={{ base: "47%", xs: 160 }} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          </Group>
        </Stack>
      </Collapse>
      {results.error && <Alert color="red">{errorMessage(results.error)}</Alert>}
      {!q && <Text c="dimmed">{t("search.start")}</Text>}
      {results.isSuccess && hits.length === 0 && <Text c="dimmed">{t("search.none")}</Text>}
      {hits.length > 0 && (
        <Stack gap="xs" component="ol" aria-label={t("search.results")} style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {hits.map((hit) => (
            <li key={`${hit.kind}-${hit.message_id ?? hit.contact_id}`}>
              <HitCard hit={hit} />
            </li>
          ))}
        </Stack>
      )}
      {results.hasNextPage && (
        <Button variant="light" w="fit-content" loading={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
          {t("search.more")}
        </Button>
      )}
    </Stack>
  );
}

function HitCard({ hit }: { hit: SearchHit }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [missing, setMissing] = useState(false);
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(hit.created_at));
  const label = t("search.openHit", { name: hit.contact_name, kind: t(`search.kindOne.${hit.kind}`) });
  return (
    <Card withBorder padding="sm">
      <UnstyledButton aria-label={label} onClick={() => void openHit(hit, navigate).then((ok) => setMissing(!ok))} w="100%">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs">
            <Text fw={600}>{hit.contact_name}</Text>
            <Badge size="sm" variant="light" color={hit.kind === "note" ? "yellow" : hit.kind === "contact" ? "grape" : "blue"}>
              {t(`search.kindOne.${hit.kind}`)}
            </Badge>
            {hit.channel && (
              <Text size="xs" c="dimmed">
                {hit.channel.name}
              </Text>
            )}
            {hit.conversation_status && (
              <Text size="xs" c="dimmed">
                {t(`status.${hit.conversation_status}`)}
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {when}
          </Text>
        </Group>
        <Snippet parts={hit.snippet} />
      </UnstyledButton>
      {missing && (
        <Text size="xs" c="dimmed" mt={4}>
          {t("search.noConversation")}
        </Text>
      )}
    </Card>
  );
}
