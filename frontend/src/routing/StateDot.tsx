// An agent's state as a coloured dot, with its name beside it where there is room.
import { Box, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type AgentStateName, STATE_COLORS } from "./hooks";

export function StateDot({ state, size = 10 }: { state: AgentStateName; size?: number }) {
  const [color, shade] = STATE_COLORS[state].split(".");
  return (
    <Box
      component="span"
      aria-hidden
      data-state={state}
      style={{
        display: "inline-block",
        flex: "none",
        width: size,
        height: size,
        borderRadius: "50%",
        background: `var(--mantine-color-${color}-${shade})`,
        boxShadow: "0 0 0 2px var(--mantine-color-body)",
      }}
    />
  );
}

/** "● Away (Lunch)": the dot and the state's name, with the away reason. */
export function StateLabel({ state, reason }: { state: AgentStateName; reason?: string | null }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <StateDot state={state} />
      <Text size="sm" span>
        {state === "away" && reason ? t("routing.state.away", { reason }) : t(`routing.states.${state}`)}
      </Text>
    </Group>
  );
}
