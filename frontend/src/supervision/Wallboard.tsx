// The wallboard: every team's queue and service level and every agent's state and load, live
// from events. `/wallboard/tv` is the same board for a screen across the room: large type, no
// controls.
import { Alert, Anchor, Badge, Box, Card, Group, Loader, MultiSelect, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { WALLBOARD_KEY } from "../live/keys";
import { formatDuration, formatShare } from "../reports/format";
import { TONE_COLOR, type Tone, elapsed, loadTone, serviceTone, waitTone } from "./board";

type Board = Schemas["WallboardRead"];
type TeamTile = Schemas["TeamTile"];
type AgentTile = Schemas["AgentTile"];

/** The board, kept live by the socket: frames that change it refresh it a second later (live/apply.ts). */
function useBoard() {
  return useQuery({
    queryKey: WALLBOARD_KEY,
    queryFn: async () => ({ board: await unwrap(api.GET("/api/v1/wallboard")), at: performance.now() }),
    placeholderData: keepPreviousData,
  });
}

/** The board's now: the server's time when it answered, moved on every second. */
function useBoardNow(board: Board | undefined, fetchedAt: number | undefined): number {
  const [tick, setTick] = useState(performance.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(performance.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (!board || fetchedAt === undefined) return Date.now();
  return Date.parse(board.generated_at) + (tick - fetchedAt);
}

function Figure({ label, value, tone, tv }: { label: string; value: string; tone: Tone; tv: boolean }) {
  return (
    <Box role="group" aria-label={`${label}: ${value}`}>
      <Text size={tv ? "lg" : "xs"} c="dimmed" lh={1.2}>
        {label}
      </Text>
      <Text fw={700} fz={tv ? 44 : 26} lh={1.1} c={tone === "none" || tone === "ok" ? undefined : `${TONE_COLOR[tone]}.7`}>
        {value}
      </Text>
    </Box>
  );
}

function TeamCard({ team, target, tv, drift }: { team: TeamTile; target: number; tv: boolean; drift: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // The oldest wait goes on growing between two answers of the server.
  const longest = team.longest_wait_seconds === null ? null : team.longest_wait_seconds + drift;
  const worst = [serviceTone(team.service_level_today, target), waitTone(longest, team.threshold_seconds)];
  const border = worst.includes("bad") ? "red" : worst.includes("warn") ? "yellow" : "teal";
  const name = team.name || t("wallboard.noTeam");
  return (
    <Card withBorder padding={tv ? "lg" : "md"} style={{ borderTop: `6px solid var(--mantine-color-${border}-6)` }} aria-label={name} component="section">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={3} fz={tv ? 34 : "lg"} style={{ overflowWrap: "anywhere" }}>
          {name}
        </Title>
        <Text size={tv ? "lg" : "xs"} c="dimmed">
          {t("wallboard.threshold", { time: formatDuration(team.threshold_seconds, lang) })}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing={tv ? "lg" : "sm"} verticalSpacing={tv ? "lg" : "sm"}>
        <Figure tv={tv} label={t("wallboard.waiting")} value={String(team.waiting_now)} tone={team.waiting_now > 0 ? "warn" : "ok"} />
        <Figure
          tv={tv}
          label={t("wallboard.longestWait")}
          value={formatDuration(longest, lang)}
          tone={waitTone(longest, team.threshold_seconds)}
        />
        <Figure tv={tv} label={t("wallboard.awaitingFirst")} value={String(team.awaiting_first_reply)} tone="none" />
        <Figure tv={tv} label={t("wallboard.serviceToday")} value={formatShare(team.service_level_today, lang)} tone={serviceTone(team.service_level_today, target)} />
        <Figure
          tv={tv}
          label={t("wallboard.service30")}
          value={formatShare(team.service_level_30_minutes, lang)}
          tone={serviceTone(team.service_level_30_minutes, target)}
        />
        <Figure tv={tv} label={t("wallboard.handled")} value={String(team.handled_today)} tone="none" />
        <Figure tv={tv} label={t("wallboard.abandoned")} value={String(team.abandoned_today)} tone={team.abandoned_today > 0 ? "warn" : "ok"} />
        <Figure tv={tv} label={t("sla.wallboard.atRisk")} value={String(team.sla_at_risk ?? 0)} tone={team.sla_at_risk ? "warn" : "ok"} />
        <Figure tv={tv} label={t("sla.wallboard.breached")} value={String(team.sla_breached ?? 0)} tone={team.sla_breached ? "bad" : "ok"} />
      </SimpleGrid>
    </Card>
  );
}

const STATE_COLOR: Record<AgentTile["state"], string> = { online: "teal", busy: "orange", away: "yellow", offline: "gray" };

function AgentsTable({ agents, now, tv }: { agents: AgentTile[]; now: number; tv: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Box style={{ overflowX: "auto" }}>
      <Table striped fz={tv ? 26 : "sm"} aria-label={t("wallboard.agents")} verticalSpacing={tv ? "md" : "xs"}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("wallboard.agent")}</Table.Th>
            <Table.Th>{t("wallboard.state")}</Table.Th>
            <Table.Th>{t("wallboard.inState")}</Table.Th>
            <Table.Th>{t("wallboard.load")}</Table.Th>
            <Table.Th>{t("wallboard.awaitingReply")}</Table.Th>
            <Table.Th>{t("wallboard.oldestUnanswered")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.map((a) => {
            const oldest = elapsed(a.oldest_unanswered_since, now);
            return (
              <Table.Tr key={a.user_id}>
                <Table.Th scope="row">{a.name}</Table.Th>
                <Table.Td>
                  <Badge color={STATE_COLOR[a.state]} size={tv ? "xl" : "md"} variant="light">
                    {t(`routing.states.${a.state}`)}
                    {a.reason ? ` · ${a.reason}` : ""}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDuration(elapsed(a.state_since, now), lang)}</Table.Td>
                <Table.Td c={`${TONE_COLOR[loadTone(a.open_conversations, a.capacity)]}.8`}>
                  {t("wallboard.loadOf", { open: a.open_conversations, capacity: a.capacity })}
                </Table.Td>
                <Table.Td>{a.awaiting_reply}</Table.Td>
                <Table.Td c={oldest !== null && oldest > 300 ? "red.7" : undefined}>{formatDuration(oldest, lang)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

function RaisedHands({ hands, now, tv }: { hands: Board["raised_hands"]; now: number; tv: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder padding={tv ? "lg" : "md"} component="section" aria-label={t("hands.wallboard")} style={{ borderTop: "6px solid var(--mantine-color-orange-6)" }}>
      <Title order={3} fz={tv ? 34 : "lg"} mb="xs">
        {t("hands.wallboard")}
      </Title>
      <Stack gap={tv ? "sm" : 4}>
        {hands.map((h) => (
          <Group key={h.conversation_id} gap="sm" wrap="wrap" fz={tv ? 26 : "sm"}>
            {tv ? (
              <Text fw={700} fz="inherit">
                {h.contact_name}
              </Text>
            ) : (
              <>
                <Anchor component={Link} to={`/conversations/${h.conversation_id}`} fw={700}>
                  {h.contact_name}
                </Anchor>
                <Anchor component={Link} to={`/conversations/${h.conversation_id}?monitor=1`} title={t("supervise.monitorOf", { name: h.contact_name })}>
                  {t("supervise.monitor")}
                </Anchor>
              </>
            )}
            <Text fz="inherit" c="dimmed">
              {t("hands.by", { name: h.raised_by_name ?? "—", time: formatDuration(elapsed(h.raised_at, now), i18n.language) })}
            </Text>
            {h.note && <Text fz="inherit">“{h.note}”</Text>}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

export function Wallboard({ tv = false }: { tv?: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const picked = params.getAll("team");
  const board = useBoard();
  const data = board.data?.board;
  const now = useBoardNow(data, board.data?.at);
  if (board.error) return <Alert color="red" m="md">{errorMessage(board.error)}</Alert>;
  if (!data) return <Loader m="xl" aria-label={t("wallboard.loading")} />;
  const teams = picked.length ? data.teams.filter((x) => x.team_id && picked.includes(x.team_id)) : data.teams;
  const agents = picked.length ? data.agents.filter((a) => a.team_ids.some((id) => picked.includes(id))) : data.agents;
  const pick = (ids: string[]) => {
    const next = new URLSearchParams();
    for (const id of ids) next.append("team", id);
    setParams(next, { replace: true });
  };
  return (
    <Box p={tv ? "xl" : "md"} style={{ flex: 1, overflow: "auto" }} bg={tv ? "var(--mantine-color-body)" : undefined} mih={tv ? "100dvh" : undefined}>
      <Stack gap={tv ? "xl" : "md"}>
        <Group justify="space-between" align="end">
          <Title order={2} fz={tv ? 48 : undefined}>
            {t("wallboard.title")}
          </Title>
          {!tv && (
            <Group align="end">
              <MultiSelect
                label={t("wallboard.teams")}
                placeholder={picked.length ? undefined : t("wallboard.allTeams")}
                data={data.teams.filter((x) => x.team_id).map((x) => ({ value: x.team_id ?? "", label: x.name }))}
                value={picked}
                onChange={pick}
                clearable
                w={260}
              />
              <Anchor component={Link} to={`/wallboard/tv${params.size ? `?${params.toString()}` : ""}`} target="_blank">
                {t("wallboard.tv")}
              </Anchor>
            </Group>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, md: tv ? 2 : 2, xl: 3 }} spacing={tv ? "xl" : "md"}>
          {teams.map((team) => (
            <TeamCard
              key={team.team_id ?? "none"}
              team={team}
              target={data.service_level_target}
              tv={tv}
              drift={Math.max(0, (now - Date.parse(data.generated_at)) / 1000)}
            />
          ))}
        </SimpleGrid>
        {data.raised_hands.length > 0 && <RaisedHands hands={data.raised_hands} now={now} tv={tv} />}
        <Title order={3} fz={tv ? 36 : undefined}>
          {t("wallboard.agents")}
        </Title>
        <AgentsTable agents={agents} now={now} tv={tv} />
      </Stack>
    </Box>
  );
}
