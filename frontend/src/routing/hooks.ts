// Routing data for the screens: agents' states, settings and queues, kept fresh by live events.
import { type QueryClient, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { type Me, type Schemas, api, unwrap } from "../api/client";

export type AgentStatus = Schemas["AgentStatusRead"];
export type AgentStateName = AgentStatus["state"];
export type Team = Schemas["TeamRead"];

export const STATES: AgentStateName[] = ["online", "busy", "away", "offline"];
export const STATE_COLORS: Record<AgentStateName, string> = {
  online: "green.6",
  busy: "red.6",
  away: "yellow.6",
  offline: "gray.5",
};

export const routingKeys = {
  me: ["routing", "me"] as const,
  agents: ["routing", "agents"] as const,
  settings: ["routing", "settings"] as const,
  team: (id: string) => ["routing", "team", id] as const,
  queue: (id: string) => ["routing", "queue", id] as const,
  queues: ["routing", "queue"] as const,
  assignments: (id: string) => ["routing", "assignments", id] as const,
};

export function takesConversations(me: Me): boolean {
  return Boolean(me.workspace) && me.workspace?.role !== "viewer";
}

export function isAdmin(me: Me): boolean {
  return me.workspace?.role === "owner" || me.workspace?.role === "manager";
}

export function useMyState(me: Me) {
  return useQuery({
    queryKey: routingKeys.me,
    queryFn: () => unwrap(api.GET("/api/v1/me/state")),
    enabled: takesConversations(me),
  });
}

export function useAgentStates(enabled = true) {
  return useQuery({
    queryKey: routingKeys.agents,
    queryFn: () => unwrap(api.GET("/api/v1/agents/states")),
    enabled,
  });
}

export function useWorkspaceRouting() {
  return useQuery({ queryKey: routingKeys.settings, queryFn: () => unwrap(api.GET("/api/v1/routing/settings")) });
}

export function useTeams() {
  return useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
}

/** Teams whose queue this member may follow: every team for supervisors, their own for agents. */
export function queueTeams(me: Me, teams: readonly Team[]): Team[] {
  const role = me.workspace?.role;
  if (me.workspace?.client_access) return []; // a client viewer has no queue page
  if (role === "owner" || role === "manager" || role === "viewer") return [...teams];
  return teams.filter((team) => team.members.some((m) => m.user_id === me.user.id));
}

export function useQueueTeams(me: Me): Team[] {
  return queueTeams(me, useTeams().data ?? []);
}

/** The current time, refreshed every `ms` milliseconds while mounted. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Applies an agent's new state (from an event or a response) to every cached copy. */
export function rememberAgent(queries: QueryClient, agent: AgentStatus): void {
  if (queries.getQueryData<AgentStatus>(routingKeys.me)?.user_id === agent.user_id) {
    queries.setQueryData(routingKeys.me, agent);
  }
  const list = queries.getQueryData<AgentStatus[]>(routingKeys.agents);
  if (!list) return;
  if (list.some((a) => a.user_id === agent.user_id)) {
    queries.setQueryData(
      routingKeys.agents,
      list.map((a) => (a.user_id === agent.user_id ? agent : a)),
    );
  } else {
    void queries.invalidateQueries({ queryKey: routingKeys.agents });
  }
}

