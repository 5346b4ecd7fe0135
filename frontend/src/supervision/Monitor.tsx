// Silent monitoring: a supervisor watches a conversation live without showing as "viewing" to
// the agent. `?monitor=1` on a conversation's address is monitor mode (the wallboard opens
// conversations that way); the header's "Monitor" button switches to it. The server records
// each start in the audit log and refuses it to anyone who does not supervise the team.
import { Badge, Button } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, unwrap } from "../api/client";

/** Whether the open conversation is being monitored; tells the server once per conversation. */
export function useMonitoring(conversationId: string, allowed: boolean): boolean {
  const [params] = useSearchParams();
  const monitoring = allowed && params.get("monitor") === "1";
  const start = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/conversations/{conversation_id}/monitor", { params: { path: { conversation_id: id } } })),
  });
  const { mutate } = start;
  useEffect(() => {
    if (monitoring) mutate(conversationId);
  }, [monitoring, conversationId, mutate]);
  return monitoring;
}

/** Whether the address asks for monitor mode (before the rights are known). */
export function useMonitorAsked(): boolean {
  const [params] = useSearchParams();
  return params.get("monitor") === "1";
}

export function MonitorButton({ monitoring }: { monitoring: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  if (monitoring) {
    return (
      <Badge color="grape" variant="light" role="status">
        {t("supervise.monitoring")}
      </Badge>
    );
  }
  return (
    <Button
      size="xs"
      variant="default"
      title={t("supervise.monitorHint")}
      onClick={() => {
        const next = new URLSearchParams(params);
        next.set("monitor", "1");
        setParams(next, { replace: true });
      }}
    >
      {t("supervise.monitor")}
    </Button>
  );
}
