// The agent's own state, always in the header: online, busy, away (with a reason) or offline.
import { ActionIcon, Button, Text, Tooltip, VisuallyHidden } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Me, api, errorMessage, unwrap } from "../api/client";
import { formatDuration, secondsSince } from "../routing/format";
import {
  type AgentStateName,
  rememberAgent,
  takesConversations,
  useMyState,
  useNow,
  useWorkspaceRouting,
} from "../routing/hooks";
import { StateDot } from "../routing/StateDot";
import { type ShortcutAction, useShortcuts } from "./Shortcuts";
import { Menu } from "./Menu";

interface Choice {
  state: AgentStateName;
  reason: string | null;
}

export function AgentState({ me }: { me: Me }) {
  return takesConversations(me) ? <Selector me={me} /> : null;
}

function Selector({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const phone = useMediaQuery("(max-width: 48em)");
  const mine = useMyState(me);
  const routing = useWorkspaceRouting();
  const now = useNow(1000);
  const [opened, setOpened] = useState(false);
  const onShortcut = useCallback((action: ShortcutAction) => {
    if (action === "status") setOpened(true);
  }, []);
  useShortcuts(onShortcut);
  const change = useMutation({
    mutationFn: (choice: Choice) => unwrap(api.PUT("/api/v1/me/state", { body: choice })),
    onSuccess: (agent) => {
      rememberAgent(queries, agent);
      setOpened(false);
    },
  });

  const state = mine.data?.state ?? "offline";
  const reason = mine.data?.reason ?? null;
  const name = state === "away" && reason ? t("routing.state.away", { reason }) : t(`routing.states.${state}`);
  const since = mine.data?.state_since;
  const time = since ? formatDuration(secondsSince(since, now), i18n.language) : null;
  const full = time ? t("routing.state.button", { state: name, time }) : t("routing.state.buttonNoTime", { state: name });
  const choices: Choice[] = [
    { state: "online", reason: null },
    { state: "busy", reason: null },
    { state: "away", reason: null },
    ...(routing.data?.away_reasons ?? []).map((r) => ({ state: "away" as const, reason: r })),
    { state: "offline", reason: null },
  ];

  const target = phone ? (
    <Tooltip label={full} disabled={opened}>
      <ActionIcon variant="subtle" size="md" aria-label={full} data-state={state}>
        <StateDot state={state} size={14} />
      </ActionIcon>
    </Tooltip>
  ) : (
    <Button variant="subtle" color="gray" size="xs" leftSection={<StateDot state={state} />} data-state={state}>
      <VisuallyHidden>{t("routing.state.menu")}: </VisuallyHidden>
      {name}
      {time && (
        <Text span size="xs" c="dimmed" ml={6}>
          · {time}
        </Text>
      )}
    </Button>
  );

  return (
    <Menu
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      closeOnItemClick={false}
      width={240}
      // Inside the header, so the open menu stays in the banner landmark; focus starts on an item.
      withinPortal={false}
      withInitialFocusPlaceholder={false}
    >
      <Menu.Target>{target}</Menu.Target>
      <Menu.Dropdown aria-label={t("routing.state.menu")}>
        <Menu.Label>{t("routing.state.hint")}</Menu.Label>
        {choices.map((choice) => {
          const current = choice.state === state && choice.reason === reason;
          return (
            <Menu.Item
              key={`${choice.state}:${choice.reason ?? ""}`}
              leftSection={<StateDot state={choice.state} />}
              aria-current={current ? "true" : undefined}
              fw={current ? 700 : undefined}
              onClick={() => change.mutate(choice)}
            >
              {choice.reason ? t("routing.state.away", { reason: choice.reason }) : t(`routing.states.${choice.state}`)}
            </Menu.Item>
          );
        })}
        {change.error && (
          <Text role="alert" c="red" size="xs" px="sm" py={4}>
            {t("routing.state.failed", { message: errorMessage(change.error) })}
          </Text>
        )}
        {mine.data && (
          <>
            <Menu.Divider />
            <Menu.Label>
              {t("routing.state.load", { open: mine.data.open_conversations, capacity: mine.data.capacity })}
            </Menu.Label>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
