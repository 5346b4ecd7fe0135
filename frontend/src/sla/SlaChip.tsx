// The SLA countdown chip of an inbox row and a conversation's header: it counts down every
// second from the due time the conversation carries (no polling), amber at risk, red overdue.
import { Badge } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { serverNow } from "../api/serverClock";
import { type ConversationSla, TONE_COLOURS, countdownAt, formatLeft } from "./countdown";

/** Now by the server's clock, renewed every second while `running`. */
function useSecond(running: boolean): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    setNow(serverNow());
    if (!running) return;
    const tick = window.setInterval(() => setNow(serverNow()), 1000);
    return () => window.clearInterval(tick);
  }, [running]);
  return now;
}

export function SlaChip({ sla, size = "xs" }: { sla: ConversationSla | null | undefined; size?: "xs" | "sm" }) {
  const { t } = useTranslation();
  const now = useSecond(Boolean(sla?.due_at));
  const countdown = countdownAt(sla, now);
  if (!countdown) return null;
  const left = formatLeft(countdown.seconds);
  const target = t(`sla.target.${countdown.target}`);
  const label =
    countdown.tone === "breached"
      ? t("sla.chip.breached", { target, time: formatLeft(-countdown.seconds) })
      : t(`sla.chip.${countdown.tone}`, { target, time: left });
  return (
    <Badge
      size={size}
      color={TONE_COLOURS[countdown.tone]}
      variant={countdown.tone === "ok" ? "light" : "filled"}
      role="timer"
      aria-label={label}
      data-tone={countdown.tone}
      title={label}
      style={{ flex: "none", fontVariantNumeric: "tabular-nums" }}
    >
      {t("sla.chip.short", { time: left })}
    </Badge>
  );
}
