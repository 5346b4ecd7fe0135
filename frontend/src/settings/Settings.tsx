// Workspace settings for owners and managers, one tab per kind of thing they look after.
import { Stack, Tabs, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { AuditLog } from "./AuditLog";
import { BusinessHours } from "./BusinessHours";
import { Canned } from "./Canned";
import { Tokens } from "./Catalogue";
import { Channels } from "./Channels";
import { CustomFields } from "./CustomFields";
import { Members } from "./Members";
import { Routing } from "./Routing";
import { SlaPolicies } from "./SlaPolicies";
import { Tags } from "./Tags";
import { TeamChat } from "./TeamChat";
import { Teams } from "./Teams";
import { CsatSettings } from "../csat/CsatSettings";
import { QualitySettingsPanel } from "../quality/ScorecardEditor";
import { SimilarSettings } from "../conversation/SimilarSettings";
import { Webhooks } from "./Webhooks";
import { WorkspaceSettings } from "./WorkspaceSettings";

export function Settings() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  return (
    <Stack p="md" style={{ flex: 1, overflowY: "auto" }}>
      <Title order={2} size="h3">
        {t("settings.title")}
      </Title>
      <Tabs value={params.get("tab") ?? "members"} onChange={(tab) => setParams(tab ? { tab } : {}, { replace: true })}>
        <Tabs.List>
          <Tabs.Tab value="members">{t("settings.members")}</Tabs.Tab>
          <Tabs.Tab value="channels">{t("settings.channels")}</Tabs.Tab>
          <Tabs.Tab value="teams">{t("settings.teams")}</Tabs.Tab>
          <Tabs.Tab value="tags">{t("settings.tags")}</Tabs.Tab>
          <Tabs.Tab value="canned">{t("settings.canned")}</Tabs.Tab>
          <Tabs.Tab value="tokens">{t("settings.tokens")}</Tabs.Tab>
          <Tabs.Tab value="hours">{t("hours.tab")}</Tabs.Tab>
          <Tabs.Tab value="sla">{t("sla.settings.tab")}</Tabs.Tab>
          <Tabs.Tab value="custom-fields">{t("customFields.title")}</Tabs.Tab>
          <Tabs.Tab value="routing">{t("routing.settings.tab")}</Tabs.Tab>
          <Tabs.Tab value="workspace">{t("workspaceSettings.tab")}</Tabs.Tab>
          <Tabs.Tab value="quality">{t("quality.report.tab")}</Tabs.Tab>
          <Tabs.Tab value="webhooks">{t("webhooks.tab")}</Tabs.Tab>
          <Tabs.Tab value="team-chat">{t("webhooks.teamChat.tab")}</Tabs.Tab>
          <Tabs.Tab value="audit-log">{t("security.audit.tab")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="members" pt="md">
          <Members />
        </Tabs.Panel>
        <Tabs.Panel value="channels" pt="md">
          <Channels />
        </Tabs.Panel>
        <Tabs.Panel value="teams" pt="md">
          <Teams />
        </Tabs.Panel>
        <Tabs.Panel value="tags" pt="md">
          <Tags />
        </Tabs.Panel>
        <Tabs.Panel value="canned" pt="md">
          <Canned />
        </Tabs.Panel>
        <Tabs.Panel value="tokens" pt="md">
          <Tokens />
        </Tabs.Panel>
        <Tabs.Panel value="hours" pt="md">
          <BusinessHours />
        </Tabs.Panel>
        <Tabs.Panel value="sla" pt="md">
          <SlaPolicies />
        </Tabs.Panel>
        <Tabs.Panel value="custom-fields" pt="md">
          <CustomFields />
        </Tabs.Panel>
        <Tabs.Panel value="routing" pt="md">
          <Routing />
        </Tabs.Panel>
        <Tabs.Panel value="workspace" pt="md">
          <WorkspaceSettings />
          <CsatSettings />
          <SimilarSettings />
        </Tabs.Panel>
        <Tabs.Panel value="quality" pt="md">
          <QualitySettingsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="webhooks" pt="md">
          <Webhooks />
        </Tabs.Panel>
        <Tabs.Panel value="team-chat" pt="md">
          <TeamChat />
        </Tabs.Panel>
        <Tabs.Panel value="audit-log" pt="md">
          <AuditLog />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
