// Settings → Teams → members: an owner or manager makes a member the team's lead, who then
// supervises this team only (wallboard, monitor, whisper, take over, raised hands).
import { Switch } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";

export function TeamLeadSwitch({ teamId, userId, name, lead, onChanged }: { teamId: string; userId: string; name: string; lead: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const change = useMutation({
    mutationFn: (is_supervisor: boolean) =>
      unwrap(api.PUT("/api/v1/teams/{team_id}/members/{user_id}/supervisor", { params: { path: { team_id: teamId, user_id: userId } }, body: { is_supervisor } })),
    onSuccess: onChanged,
  });
  return (
    <Switch
      size="xs"
      label={t("supervise.teamLead")}
      aria-label={t("supervise.teamLeadOf", { name })}
      description={t("supervise.teamLeadHelp")}
      checked={lead}
      disabled={change.isPending}
      error={change.error ? errorMessage(change.error) : undefined}
      onChange={(e) => change.mutate(e.currentTarget.checked)}
    />
  );
}
