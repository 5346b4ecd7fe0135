// A team's queue: who waits, for how long, what to expect; the team's agents beside it.
import { Alert, Anchor, Badge, Box, Flex, Group, Paper, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { type Me, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { formatDuration, ticking } from "./format";
import {
  type AgentStatus,
  type Team,
  isAdmin,
  routingKeys,
  useAgentStates,
  useNow,
  useQueueTeams,
  useTeams,
} from "./hooks";
import { AgentStateMenu } from "./AgentStateMenu";
import { StateLabel } from "./StateDot";

type QueueEntry = Schemas["QueueEntry"];

function queueQuery(teamId: string) {
  return {
    queryKey: routingKeys.queue(teamId),
    queryFn: () => unwrap(api.GET("/api/v1/teams/{team_id}/queue", { params: { path: { team_id: teamId } } })),
    staleTime: 5_000,
  };
}

export function Queue({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { teamId } = useParams();
  const navigate = useNavigate();
  const teams = useQueueTeams(me);
  const loaded = useTeams().isSuccess;
  const queues = useQueries({ queries: teams.map((x) => queueQuery(x.id)) });
  const waiting = (id: string) => queues[teams.findIndex((x) => x.id === id)]?.data?.length;
  const all = queues.every((q) => q.data);
  // Without a team in the address: the member's own team, else the longest queue.
  const team =
    teams.find((x) => x.id === teamId) ??
    teams.find((x) => x.members.some((m) => m.user_id === me.user.id)) ??
    (all ? [...teams].sort((a, b) => (waiting(b.id) ?? 0) - (waiting(a.id) ?? 0))[0] : undefined);
  return (
    <Stack p="md" gap="md" style={{ flex: 1, minWidth: 0, overflowY: "auto" }} h="calc(100dvh - 56px)">
      <Anchor component={Link} to="/" size="sm">
        ← {t("routing.queue.back")}
      </Anchor>
      <Group align="flex-end" justify="space-between">
        <Title order={2} size="h3">
          {team ? `${t("routing.queue.title")}: ${team.name}` : t("routing.queue.title")}
        </Title>
        {teams.length > 1 && team && (
          <Select
            label={t("routing.queue.team")}
            size="xs"
            w={220}
            data={teams.map((x) => ({
              value: x.id,
              label: waiting(x.id) ? t("routing.queue.teamWaiting", { team: x.name, count: waiting(x.id) }) : x.name,
            }))}
            value={team.id}
            onChange={(id) => id && navigate(`/queue/${id}`)}
            allowDeselect={false}
          />
        )}
      </Group>
      {loaded && !team && <Text c="dimmed">{t("routing.queue.noTeam")}</Text>}
      {team && <TeamQueue me={me} team={team} />}
    </Stack>
  );
}

function TeamQueue({ me, team }: { me: Me; team: Team }) {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const queries = useQueryClient();
  const queue = useQuery(queueQuery(team.id));
  const agents = useAgentStates();
  const now = useNow(1000);
  const members = new Set(team.members.map((m) => m.user_id));
  const teamAgents = (agents.data ?? [])
    .filter((a) => members.has(a.user_id))
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const assign = useMutation({
    mutationFn: (v: { conversationId: string; userId: string }) =>
      unwrap(
        api.POST("/api/v1/conversations/{conversation_id}/assign", {
          params: { path: { conversation_id: v.conversationId } },
          body: { assignee_id: v.userId },
        }),
      ),
    onSettled: () => {
      void queries.invalidateQueries({ queryKey: routingKeys.queue(team.id) });
      void queries.invalidateQueries({ queryKey: routingKeys.agents });
    },
  });
  const data = queue.data;
  const fetchedAt = queue.dataUpdatedAt;
  const duration = (seconds: number) => formatDuration(seconds, i18n.language);
  const longest = data?.entries.length ? ticking(data.longest_wait_seconds, fetchedAt, now) : 0;
  return (
    <>
      {queue.error && <Alert color="red">{errorMessage(queue.error)}</Alert>}
      {assign.error && <Alert color="red">{errorMessage(assign.error)}</Alert>}
      {data && (
        <Group gap="xs" role="status" aria-live="polite">
          <Badge size="lg" variant="light" tt="none" color={data.length > 0 ? "orange" : "gray"}>
            {t("routing.queue.waiting", { count: data.length })}
          </Badge>
          {data.length > 0 && (
            <Badge size="lg" variant="light" tt="none" color="gray">
              {t("routing.queue.longest", { time: duration(longest) })}
            </Badge>
          )}
          <Badge size="lg" variant="light" tt="none" color={data.free_slots > 0 ? "teal" : "red"}>
            {t("routing.queue.freeSlots", { count: data.free_slots })}
          </Badge>
          <Badge size="lg" variant="light" tt="none" color={data.online_agents > 0 ? "teal" : "red"}>
            {t("routing.queue.online", { count: data.online_agents })}
          </Badge>
        </Group>
      )}
      <Flex gap="md" direction={phone ? "column" : "row"} align="flex-start">
        <Box style={{ flex: 1, minWidth: 0 }} w={phone ? "100%" : undefined}>
          {data && data.entries.length === 0 && <Text c="dimmed">{t("routing.queue.empty")}</Text>}
          {data && data.entries.length > 0 && (
            <Table.ScrollContainer minWidth={560}>
              <Table striped aria-label={t("routing.queue.entries", { team: team.name })}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("routing.queue.position")}</Table.Th>
                    <Table.Th>{t("routing.queue.contact")}</Table.Th>
                    <Table.Th>{t("routing.queue.channel")}</Table.Th>
                    <Table.Th>{t("routing.queue.priority")}</Table.Th>
                    <Table.Th>{t("routing.queue.waited")}</Table.Th>
                    <Table.Th>{t("routing.queue.expected")}</Table.Th>
                    {isAdmin(me) && <Table.Th>{t("routing.queue.assign")}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.entries.map((entry) => (
                    <Row
                      key={entry.conversation_id}
                      entry={entry}
                      waited={duration(ticking(entry.waiting_seconds, fetchedAt, now))}
                      agents={isAdmin(me) ? teamAgents : null}
                      onAssign={(userId) => assign.mutate({ conversationId: entry.conversation_id, userId })}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Box>
        <AgentsPanel agents={teamAgents} width={phone ? "100%" : 280} supervisor={isAdmin(me)} />
      </Flex>
    </>
  );
}

function rank(agent: AgentStatus): number {
  return ["online", "busy", "away", "offline"].indexOf(agent.state);
}

function Row(props: { entry: QueueEntry; waited: string; agents: AgentStatus[] | null; onAssign: (userId: string) => void }) {
  const { t, i18n } = useTranslation();
  const { entry } = props;
  const urgent = entry.priority === "high" || entry.priority === "urgent";
  return (
    <Table.Tr>
      <Table.Td>{entry.position}</Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/conversations/${entry.conversation_id}`} size="sm">
          {entry.contact_name}
        </Anchor>
      </Table.Td>
      <Table.Td>{t(`routing.channels.${entry.channel_type}`, { defaultValue: entry.channel_type })}</Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={urgent ? "red" : "gray"}>
          {t(`priority.${entry.priority}`, { defaultValue: entry.priority })}
        </Badge>
      </Table.Td>
      <Table.Td>{props.waited}</Table.Td>
      <Table.Td>
        {entry.estimated_wait_seconds === null
          ? t("routing.queue.unknownWait")
          : `~ ${formatDuration(entry.estimated_wait_seconds, i18n.language)}`}
        {entry.reason !== "no_agent" && (
          <Text size="xs" c="dimmed">
            {t(`routing.queue.reasons.${entry.reason}`, { defaultValue: entry.reason })}
          </Text>
        )}
      </Table.Td>
      {props.agents && (
        <Table.Td>
          <Select
            size="xs"
            w={200}
            aria-label={t("routing.queue.assignTo", { name: entry.contact_name })}
            placeholder={t("routing.queue.assign")}
            data={props.agents.map((a) => ({
              value: a.user_id,
              label: t("routing.queue.agentOption", {
                name: a.name,
                state: t(`routing.states.${a.state}`),
                open: a.open_conversations,
                capacity: a.capacity,
              }),
            }))}
            value={null}
            onChange={(id) => id && props.onAssign(id)}
          />
        </Table.Td>
      )}
    </Table.Tr>
  );
}

function AgentsPanel({ agents, width, supervisor }: { agents: AgentStatus[]; width: number | string; supervisor: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" w={width} style={{ flex: "none" }} component="section" aria-label={t("routing.queue.agents")}>
      <Title order={3} size="h5" mb="xs">
        {t("routing.queue.agents")}
      </Title>
      {agents.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("routing.queue.noAgents")}
        </Text>
      )}
      <Stack gap={6} component="ul" style={{ listStyle: "none", margin: 0, padding: 0 }}>
        {agents.map((a) => (
          <Group key={a.user_id} component="li" justify="space-between" wrap="nowrap" gap="xs">
            <Box style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} truncate>
                {a.name}
              </Text>
              <StateLabel state={a.state} reason={a.reason} />
            </Box>
            <Group gap={4} wrap="nowrap" style={{ flex: "none" }}>
              <Text size="sm" c={a.open_conversations >= a.capacity ? "red" : "dimmed"}>
                {t("routing.queue.load", { open: a.open_conversations, capacity: a.capacity })}
              </Text>
              {supervisor && <AgentStateMenu agent={a} />}
            </Group>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

/** The way to the queue from the inbox, with how many are waiting in the member's teams. */
export function QueueLink({ me }: { me: Me }) {
  const { t } = useTranslation();
  const teams = useQueueTeams(me);
  const queues = useQueries({ queries: teams.map((team) => queueQuery(team.id)) });
  const waiting = queues.reduce((sum, q) => sum + (q.data?.length ?? 0), 0);
  if (teams.length === 0) return null;
  return (
    <Anchor component={Link} to="/queue" size="sm" mt="xs" display="block">
      {waiting > 0 ? t("routing.queue.waitingLink", { count: waiting }) : t("routing.queue.open")}
    </Anchor>
  );
}
