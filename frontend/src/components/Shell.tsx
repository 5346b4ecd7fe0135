// The frame around the work: workspace, language, connection, and inbox | conversation.
import { ActionIcon, AppShell, Avatar, Badge, Button, Group, Select, Text, VisuallyHidden } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Route, Routes, useMatch } from "react-router-dom";
import { type Me, api, unwrap } from "../api/client";
import { ConversationView } from "../conversation/ConversationView";
import { Profile } from "../profile/Profile";
import { Settings } from "../settings/Settings";
import { LANGUAGES } from "../i18n";
import { Inbox } from "../inbox/Inbox";
import { LiveProvider, useLiveSocket } from "../live/LiveProvider";
import { Notices } from "./Notices";
import { Bell } from "../notifications/Bell";
import { NoTeamNotice } from "./NoTeamNotice";
import { ShortcutHelp } from "./Shortcuts";
import { CommandPalette } from "./CommandPalette";
import { AgentState } from "./AgentState";
import { Queue } from "../routing/Queue";
import { useRights } from "../supervision/rights";
import { Menu } from "./Menu";

// Reports bring a chart library: loaded when first opened.
const Reports = lazy(() => import("../reports/Reports").then((m) => ({ default: m.Reports })));
const Contacts = lazy(() => import("../contacts/Contacts").then((m) => ({ default: m.Contacts })));
const Organisation = lazy(() => import("../organisation/Organisation").then((m) => ({ default: m.Organisation })));
const Wallboard = lazy(() => import("../supervision/Wallboard").then((m) => ({ default: m.Wallboard })));
const Quality = lazy(() => import("../quality/Quality").then((m) => ({ default: m.Quality })));
const Workflows = lazy(() => import("../workflows/Workflows").then((m) => ({ default: m.Workflows })));
const Broadcasts = lazy(() => import("../broadcasts/Broadcasts").then((m) => ({ default: m.Broadcasts })));
const SearchPage = lazy(() => import("../search/SearchPage").then((m) => ({ default: m.SearchPage })));

export function Shell({ me }: { me: Me }) {
  // One socket for the tab, in the member's current workspace: its frames keep every query live.
  return (
    <LiveProvider workspaceId={me.workspace?.id ?? null} userId={me.user.id}>
      <ShellFrame me={me} />
    </LiveProvider>
  );
}

function ShellFrame({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const phone = useMediaQuery("(max-width: 48em)");
  const open = useMatch("/conversations/:id");
  const { online } = useLiveSocket();
  const workspace = me.workspace;

  const switchWorkspace = async (id: string | null) => {
    if (!id || id === workspace?.id) return;
    await unwrap(api.PUT("/api/v1/me/workspace", { body: { workspace_id: id } }));
    queries.clear();
    await queries.invalidateQueries();
  };
  const changeLanguage = async (code: string | null) => {
    if (!code) return;
    await i18n.changeLanguage(code);
    await unwrap(api.PATCH("/api/v1/me", { body: { language: code as "en" | "pt-BR" | "vi" } }));
  };
  const signOut = async () => {
    await unwrap(api.POST("/api/v1/auth/sign-out"));
    queries.clear();
    location.assign("/");
  };

  const settingsPage = useMatch("/settings");
  const profilePage = useMatch("/profile");
  const queuePage = useMatch("/queue/*");
  const reportsPage = useMatch("/reports");
  const contactsPage = useMatch("/contacts");
  const organisationPage = useMatch("/organisation");
  const wallboardPage = useMatch("/wallboard");
  const qualityPage = useMatch("/quality/*");
  const workflowsPage = useMatch("/workflows/*");
  const broadcastsPage = useMatch("/broadcasts/*");
  const searchPage = useMatch("/search");
  const tvPage = useMatch("/wallboard/tv");
  const inSettings =
    Boolean(settingsPage) ||
    Boolean(profilePage) ||
    Boolean(queuePage) ||
    Boolean(reportsPage) ||
    Boolean(contactsPage) ||
    Boolean(organisationPage) ||
    Boolean(wallboardPage) ||
    Boolean(broadcastsPage) ||
    Boolean(qualityPage) ||
    Boolean(workflowsPage) ||
    Boolean(searchPage);
  // Supervisors (not a client's viewer) watch the wallboard: owners, managers, viewers, and
  // team leads (for their own teams: the server narrows the board).
  const rights = useRights();
  const leadsTeams = (rights.data?.team_ids.length ?? 0) > 0;
  const supervises =
    (workspace?.role === "owner" || workspace?.role === "manager" || workspace?.role === "viewer" || leadsTeams) &&
    !workspace?.client_access;
  const showList = (!phone || !open) && !inSettings;
  const showConversation = !phone || Boolean(open) || inSettings;
  if (tvPage && supervises) {
    // For a screen across the room: the board alone, large, no controls.
    return (
      <Suspense fallback={null}>
        <Wallboard tv />
      </Suspense>
    );
  }
  return (
    <AppShell header={{ height: 56 }} padding={0}>
      <AppShell.Header px={phone ? "xs" : "md"}>
        <Group h="100%" justify="space-between" wrap="nowrap" gap={phone ? 8 : "md"}>
          <Group gap={phone ? 4 : "sm"} wrap="nowrap">
            {!phone && (
              <Text fw={700} c="teal.9">
                {t("app.name")}
              </Text>
            )}
            <Select
              aria-label={t("nav.workspace")}
              size="xs"
              w={phone ? 100 : 240}
              data={me.workspaces.map((w) => ({ value: w.id, label: w.name }))}
              value={workspace?.id ?? null}
              onChange={(id) => void switchWorkspace(id)}
              allowDeselect={false}
            />
            {workspace?.client_access && !phone && (
              <Badge color="grape" variant="light" title={t("clientAccess.readOnly")}>
                {t("clientAccess.badge")}
              </Badge>
            )}
          </Group>
          {/* On a phone the header holds the bell too: tighter gaps keep it within the screen. */}
          <Group gap={phone ? 4 : "xs"} wrap="nowrap">
            <AgentState me={me} />
            {workspace && <Bell />}
            <CommandPalette me={me} />
            {!online &&
              (phone ? (
                // On a phone a yellow dot says it; the words stay for screen readers and on hover.
                <Badge color="yellow" variant="filled" size="xs" circle role="status" title={t("app.offline")}>
                  <VisuallyHidden>{t("app.offline")}</VisuallyHidden>
                </Badge>
              ) : (
                <Badge color="yellow" variant="light" role="status">
                  {t("app.offline")}
                </Badge>
              ))}
            <Select
              aria-label={t("nav.language")}
              size="xs"
              w={phone ? 90 : 170}
              data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
              value={i18n.language}
              onChange={(code) => void changeLanguage(code)}
              allowDeselect={false}
            />
            <Menu position="bottom-end">
              <Menu.Target>
                {phone ? (
                  // On a phone the account button is the picture alone; its name stays the member's.
                  <ActionIcon variant="subtle" size="lg" radius="xl" aria-label={me.user.name} title={me.user.name}>
                    <Avatar src={me.user.avatar_url} size={26} radius="xl" alt="" aria-hidden="true">
                      {me.user.name.slice(0, 1)}
                    </Avatar>
                  </ActionIcon>
                ) : (
                  <Button
                    size="xs"
                    variant="subtle"
                    maw={200}
                    title={me.user.name}
                    styles={{ label: { overflow: "hidden", minWidth: 0 } }}
                    leftSection={
                      <Avatar src={me.user.avatar_url} size={20} radius="xl" alt="" aria-hidden="true">
                        {me.user.name.slice(0, 1)}
                      </Avatar>
                    }
                  >
                    <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{me.user.name}</span>
                  </Button>
                )}
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component={Link} to="/profile">
                  {t("profile.open")}
                </Menu.Item>
                <Menu.Item component={Link} to="/reports">
                  {t("reports.open")}
                </Menu.Item>
                {workspace && !workspace.client_access && (
                  <Menu.Item component={Link} to="/contacts">
                    {t("contactsPage.open")}
                  </Menu.Item>
                )}
                <Menu.Item component={Link} to="/search">
                  {t("search.nav")}
                </Menu.Item>
                {(workspace?.role === "owner" || workspace?.role === "manager") && (
                  <Menu.Item component={Link} to="/quality">
                    {t("quality.nav.queue")}
                  </Menu.Item>
                )}
                {(workspace?.role === "owner" || workspace?.role === "manager") && (
                  <Menu.Item component={Link} to="/workflows">
                    {t("workflows.nav")}
                  </Menu.Item>
                )}
                {(workspace?.role === "owner" || workspace?.role === "manager") && (
                  <Menu.Item component={Link} to="/broadcasts">
                    {t("broadcasts.nav")}
                  </Menu.Item>
                )}
                {workspace && workspace.role !== "viewer" && !workspace.client_access && (
                  <Menu.Item component={Link} to="/quality/mine">
                    {t("quality.nav.mine")}
                  </Menu.Item>
                )}
                {supervises && (
                  <Menu.Item component={Link} to="/wallboard">
                    {t("wallboard.open")}
                  </Menu.Item>
                )}
                {me.user.is_org_admin && (
                  <Menu.Item component={Link} to="/organisation">
                    {t("organisation.menu")}
                  </Menu.Item>
                )}
                {(workspace?.role === "owner" || workspace?.role === "manager") && (
                  <Menu.Item component={Link} to="/settings">
                    {t("settings.open")}
                  </Menu.Item>
                )}
                {typeof Notification !== "undefined" && Notification.permission === "default" && (
                  <Menu.Item onClick={() => void Notification.requestPermission()}>{t("notices.enable")}</Menu.Item>
                )}
                <Menu.Divider />
                <Menu.Item onClick={() => void signOut()}>{t("auth.signOut")}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main h="100dvh" style={{ display: "flex" }}>
        {showList && <Inbox me={me} width={phone ? "100%" : 380} />}
        {showConversation && (
          <Routes>
            <Route path="/conversations/:id" element={<ConversationView me={me} />} />
            <Route path="/settings" element={<Settings />} />
            <Route path="/profile" element={<Profile me={me} />} />
            <Route path="/queue/:teamId?" element={<Queue me={me} />} />
            <Route
              path="/organisation"
              element={
                <Suspense fallback={null}>
                  <Organisation me={me} />
                </Suspense>
              }
            />
            <Route
              path="/wallboard"
              element={
                <Suspense fallback={null}>
                  <Wallboard />
                </Suspense>
              }
            />
            <Route
              path="/quality/*"
              element={
                <Suspense fallback={null}>
                  <Quality me={me} />
                </Suspense>
              }
            />
            <Route
              path="/broadcasts/*"
              element={
                <Suspense fallback={null}>
                  <Broadcasts />
                </Suspense>
              }
            />
            <Route
              path="/workflows/*"
              element={
                <Suspense fallback={null}>
                  <Workflows me={me} />
                </Suspense>
              }
            />
            <Route
              path="/search"
              element={
                <Suspense fallback={null}>
                  <SearchPage />
                </Suspense>
              }
            />
            <Route
              path="/contacts"
              element={
                <Suspense fallback={null}>
                  <Contacts me={me} />
                </Suspense>
              }
            />
            <Route
              path="/reports"
              element={
                <Suspense fallback={null}>
                  <Reports me={me} />
                </Suspense>
              }
            />
            <Route
              path="*"
              element={
                <Text c="dimmed" p="xl" style={{ flex: 1 }}>
                  {t("conversation.pick")}
                </Text>
              }
            />
          </Routes>
        )}
      </AppShell.Main>
      <ShortcutHelp />
      <Notices />
      <NoTeamNotice me={me} />
    </AppShell>
  );
}
