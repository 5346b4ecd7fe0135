// An agent's state history: one horizontal band per day, coloured by state, the source on hover or tap.
import { Box, Group, Modal, Stack, Text, Tooltip } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { serverNow } from "../api/serverClock";
import { type AgentStatus, STATE_COLORS, STATES } from "./hooks";
import { StateDot } from "./StateDot";
import { type Day, type Segment, dayBands, placement } from "./timeline";

const DAYS = 7;

function color(segment: Segment): string {
  if (!segment.state) return "var(--mantine-color-gray-1)";
  const [name, shade] = STATE_COLORS[segment.state].split(".");
  return `var(--mantine-color-${name}-${shade})`;
}

export function StateTimeline({ agent, onClose }: { agent: AgentStatus; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({
    queryKey: ["routing", "history", agent.user_id],
    queryFn: () => unwrap(api.GET("/api/v1/agents/{user_id}/state-history", { params: { path: { user_id: agent.user_id } } })),
  });
  const days = history.data ? dayBands(history.data, serverNow(), DAYS) : [];
  const dayName = new Intl.DateTimeFormat(i18n.language, { weekday: "short", day: "numeric", month: "short" });
  return (
    <Modal opened onClose={onClose} size="xl" title={t("admin.agents.historyOf", { name: agent.name })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
      <Stack gap="sm">
        <Group gap="md" wrap="wrap" aria-hidden>
          {STATES.map((state) => (
            <Group key={state} gap={4} wrap="nowrap">
              <StateDot state={state} />
              <Text size="xs">{t(`routing.states.${state}`)}</Text>
            </Group>
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          {t("admin.agents.historyHelp")}
        </Text>
        {history.isSuccess && history.data.length === 0 && <Text c="dimmed">{t("admin.agents.noHistory")}</Text>}
        {days.map((day) => (
          <Group key={day.start} gap="xs" wrap="nowrap" align="center">
            <Text size="xs" w={84} style={{ flex: "none" }}>
              {dayName.format(new Date(day.start))}
            </Text>
            <Band day={day} label={dayName.format(new Date(day.start))} />
          </Group>
        ))}
        <Group gap={0} justify="space-between" pl={92} aria-hidden>
          {["00", "06", "12", "18", "24"].map((h) => (
            <Text key={h} size="xs" c="dimmed">
              {h}
            </Text>
          ))}
        </Group>
      </Stack>
    </Modal>
  );
}

function Band({ day, label }: { day: Day; label: string }) {
  const { t, i18n } = useTranslation();
  const time = new Intl.DateTimeFormat(i18n.language, { hour: "2-digit", minute: "2-digit" });
  const describe = (s: Segment) => {
    const span = `${time.format(new Date(s.from))}–${time.format(new Date(s.to))}`;
    if (!s.state) return t("admin.agents.unknown", { span });
    const state = s.state === "away" && s.reason ? t("routing.state.away", { reason: s.reason }) : t(`routing.states.${s.state}`);
    return t("admin.agents.segment", { state, span, source: t(`admin.sources.${s.source}`, { defaultValue: s.source ?? "" }) });
  };
  return (
    <Box
      role="list"
      aria-label={label}
      style={{ position: "relative", flex: 1, height: 22, borderRadius: 4, background: "var(--mantine-color-gray-1)", overflow: "hidden" }}
    >
      {day.segments.map((s) => {
        const { left, width } = placement(day, s);
        return (
          <Tooltip key={s.from} label={describe(s)} events={{ hover: true, focus: true, touch: true }} withinPortal>
            <Box
              role="listitem"
              tabIndex={0}
              aria-label={describe(s)}
              data-state={s.state ?? "unknown"}
              style={{ position: "absolute", top: 0, bottom: 0, left: `${left}%`, width: `${width}%`, background: color(s), minWidth: 2 }}
            />
          </Tooltip>
        );
      })}
    </Box>
  );
}
