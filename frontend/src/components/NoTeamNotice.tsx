// Who would never be assigned a conversation: an agent in no team. The agent is told so, and
// owners and managers see how many agents are in that state, with a way to the members list.
import { Alert, Anchor, Paper, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type Me, type Schemas, api, unwrap } from "../api/client";

type Member = Schemas["MemberRead"];

const REFRESH_MS = 60_000;

/** An agent with no team gets no conversation from routing. */
export function isTeamless(member: Pick<Member, "role" | "teams" | "is_active">): boolean {
  return member.role === "agent" && member.is_active && member.teams.length === 0;
}

/** Every member of the workspace, page after page (the API gives at most 100 at a time). */
async function allMembers(): Promise<Member[]> {
  const members: Member[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100, cursor } } }));
    members.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return members;
}

function dismissKey(workspaceId: string, who: string): string {
  return `frontdesk:no-team:${workspaceId}:${who}`;
}

interface DismissibleProps {
  storage: Storage;
  storageKey: string;
  title: string;
  children: ReactNode;
}

function Dismissible({ storage, storageKey, title, children }: DismissibleProps) {
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState(() => storage.getItem(storageKey) === "1");
  if (dismissed) return null;
  const dismiss = () => {
    storage.setItem(storageKey, "1");
    setDismissed(true);
  };
  // An opaque card under the tinted alert, so the page behind it does not show through.
  return (
    <Paper shadow="md" radius="md" style={{ position: "fixed", left: 16, bottom: 16, zIndex: 300, width: "min(440px, calc(100vw - 32px))" }}>
      <Alert color="yellow" role="status" title={title} withCloseButton closeButtonLabel={t("onboarding.noTeam.dismiss")} onClose={dismiss}>
        {children}
      </Alert>
    </Paper>
  );
}

function AgentNotice({ me, workspaceId }: { me: Me; workspaceId: string }) {
  const { t } = useTranslation();
  const self = useQuery({
    queryKey: ["members", "self", me.user.id],
    queryFn: () => unwrap(api.GET("/api/v1/members/{user_id}", { params: { path: { user_id: me.user.id } } })),
    refetchInterval: REFRESH_MS,
  });
  if (!self.data || !isTeamless(self.data)) return null;
  // Dismissed for this tab only: it comes back while it stays true.
  return (
    <Dismissible storage={sessionStorage} storageKey={dismissKey(workspaceId, "self")} title={t("onboarding.noTeam.selfTitle")}>
      <Text size="sm">{t("onboarding.noTeam.selfBody")}</Text>
    </Dismissible>
  );
}

function AdminNotice({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation();
  const members = useQuery({ queryKey: ["members", "all"], queryFn: allMembers, refetchInterval: REFRESH_MS });
  const teamless = (members.data ?? []).filter(isTeamless);
  if (teamless.length === 0) return null;
  const names = teamless.map((m) => m.name);
  // Dismissing hides this list of agents; another agent left without a team shows it again.
  const key = dismissKey(workspaceId, teamless.map((m) => m.user_id).sort().join(","));
  return (
    <Dismissible storage={localStorage} storageKey={key} title={t("onboarding.noTeam.adminTitle", { count: teamless.length })}>
      <Stack gap={4}>
        <Text size="sm">{t("onboarding.noTeam.adminBody", { count: teamless.length, names: names.join(", ") })}</Text>
        <Anchor component={Link} to="/settings?tab=members" size="sm">
          {t("onboarding.noTeam.openMembers")}
        </Anchor>
      </Stack>
    </Dismissible>
  );
}

export function NoTeamNotice({ me }: { me: Me }) {
  const workspace = me.workspace;
  if (!workspace) return null;
  if (workspace.role === "agent") return <AgentNotice me={me} workspaceId={workspace.id} />;
  if (workspace.role === "owner" || workspace.role === "manager") return <AdminNotice workspaceId={workspace.id} />;
  return null;
}
