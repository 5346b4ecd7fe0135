// Supervisors set an agent's state (recorded as set by a supervisor) and open their history.
import { ActionIcon } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { type AgentStateName, type AgentStatus, rememberAgent, useWorkspaceRouting } from "./hooks";
import { StateDot } from "./StateDot";
import { StateTimeline } from "./StateTimeline";
import { Menu } from "../components/Menu";

interface Choice {
  state: AgentStateName;
  reason: string | null;
}

export function AgentStateMenu({ agent }: { agent: AgentStatus }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const routing = useWorkspaceRouting();
  const [history, setHistory] = useState(false);
  const historyKey = ["routing", "history", agent.user_id];
  const change = useMutation({
    mutationFn: (choice: Choice) =>
      unwrap(api.PUT("/api/v1/agents/{user_id}/state", { params: { path: { user_id: agent.user_id } }, body: choice })),
    onSuccess: (read) => {
      rememberAgent(queries, read);
      void queries.invalidateQueries({ queryKey: historyKey });
    },
  });
  const choices: Choice[] = [
    { state: "online", reason: null },
    { state: "busy", reason: null },
    { state: "away", reason: null },
    ...(routing.data?.away_reasons ?? []).map((r) => ({ state: "away" as const, reason: r })),
    { state: "offline", reason: null },
  ];
  const label = (c: Choice) => (c.state === "away" && c.reason ? t("routing.state.away", { reason: c.reason }) : t(`routing.states.${c.state}`));
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t("admin.agents.menu", { name: agent.name })} loading={change.isPending}>
            <span aria-hidden>⋯</span>
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t("admin.agents.setState", { name: agent.name })}</Menu.Label>
          {choices.map((c) => (
            <Menu.Item
              key={`${c.state}:${c.reason ?? ""}`}
              leftSection={<StateDot state={c.state} />}
              disabled={agent.state === c.state && (agent.reason ?? null) === c.reason}
              onClick={() => change.mutate(c)}
            >
              {label(c)}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setHistory(true)}>{t("admin.agents.history")}</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {change.error && (
        <span role="alert" style={{ color: "var(--mantine-color-red-7)", fontSize: 12 }}>
          {errorMessage(change.error)}
        </span>
      )}
      {history && <StateTimeline agent={agent} onClose={() => setHistory(false)} />}
    </>
  );
}
