// Reports: the overview and the agents table for the workspace, with filters, live.
import "@mantine/charts/styles.css";
import { Alert, Box, Group, Loader, Stack, Tabs, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Me } from "../api/client";
import { ActivityPanel } from "./Activity";
import { AgentsPanel } from "./Agents";
import { CsatPanel, useCsatReport } from "./Csat";
import { OverviewPanel } from "./Overview";
import { QualityReportPanel } from "../quality/QualityReport";
import { BREAKDOWNS, Breakdown } from "./Breakdowns";
import { type Drill, Drilldown } from "./Drilldown";
import { ExportMenu, ExportsPanel } from "./Exports";
import { Filters } from "./Filters";
import { browserTimeZone } from "./format";
import { type Grouping, type ReportFilters, useAgentReport, useOverview, useStaffing } from "./hooks";
import { StaffingPanel, type Target } from "./Staffing";
import { useOutcomes } from "./outcomeHooks";
import { type OutcomeDrill, OutcomesPanel, outcomeDrill } from "./Outcomes";

/** Owners, managers and viewers see every report; an agent sees their own row of the table. */
export function seesEveryone(me: Me): boolean {
  const role = me.workspace?.role;
  return role === "owner" || role === "manager" || role === "viewer";
}

export function Reports({ me }: { me: Me }) {
  const { t } = useTranslation();
  const everyone = seesEveryone(me);
  const [filters, setFilters] = useState<ReportFilters>({
    period: "today",
    tz: browserTimeZone(),
    team_id: [],
    agent_id: [],
    channel_id: [],
  });
  const [tab, setTab] = useState<string | null>(everyone ? "overview" : "agents");
  const [groupBy, setGroupBy] = useState<Grouping>("hour");
  const [drill, setDrill] = useState<Drill | null>(null);
  const [target, setTarget] = useState<Target>({ level: 0.8, seconds: 20, concurrency: 1 });
  const overview = useOverview(filters, groupBy, everyone && tab === "overview");
  const agents = useAgentReport(filters);
  const staffing = useStaffing(filters, target, everyone && tab === "staffing");
  const csat = useCsatReport(filters, tab === "csat");
  const outcomes = useOutcomes(filters);
  const drillOutcome = (d: OutcomeDrill) => setDrill(outcomeDrill(filters, d));
  const failed = ({ overview: overview.error, agents: agents.error, staffing: staffing.error }[tab ?? "agents"] ??
    null) as Error | null;
  return (
    <Box p="md" style={{ flex: 1, overflow: "auto" }}>
      <Stack gap="md">
        <Title order={2}>{t("reports.title")}</Title>
        <Filters value={filters} onChange={setFilters} everyone={everyone} />
        <ExportsPanel filters={filters} />
        {failed && (
          <Alert color="red" role="alert">
            {failed.message}
          </Alert>
        )}
        <Tabs value={tab} onChange={setTab}>
          <Tabs.List>
            {everyone && <Tabs.Tab value="overview">{t("reports.tabs.overview")}</Tabs.Tab>}
            <Tabs.Tab value="agents">{t("reports.tabs.agents")}</Tabs.Tab>
            {everyone && <Tabs.Tab value="staffing">{t("reports.tabs.staffing")}</Tabs.Tab>}
            <Tabs.Tab value="csat">{t("csat.report.tab")}</Tabs.Tab>
            <Tabs.Tab value="outcomes">{t("outcomes.tab")}</Tabs.Tab>
            <Tabs.Tab value="quality">{t("quality.report.tab")}</Tabs.Tab>
            {everyone && <Tabs.Tab value="activity">{t("outcomes.activityTab")}</Tabs.Tab>}
            {everyone &&
              BREAKDOWNS.map(([value, key]) => (
                <Tabs.Tab key={value} value={value}>
                  {t(`breakdowns.tabs.${key}`)}
                </Tabs.Tab>
              ))}
          </Tabs.List>
          {everyone && (
            <Tabs.Panel value="overview" pt="md">
              <Group justify="flex-end" mb="sm">
                <ExportMenu kind="overview" filters={filters} groupBy={groupBy} />
              </Group>
              {overview.data ? (
                <OverviewPanel
                  data={overview.data}
                  groupBy={groupBy}
                  onGroupBy={setGroupBy}
                  onDrill={(metric, title) => setDrill({ metric, title, filters })}
                />
              ) : (
                !failed && <Loader aria-label={t("reports.loading")} />
              )}
            </Tabs.Panel>
          )}
          <Tabs.Panel value="agents" pt="md">
            <Group justify="flex-end" mb="sm">
              <ExportMenu kind="agents" filters={filters} />
            </Group>
            {agents.data ? (
              <AgentsPanel
                data={agents.data}
                onDrill={(metric, title, agentId) =>
                  setDrill({ metric, title, filters: { ...filters, agent_id: [agentId] } })
                }
                outcomes={outcomes.data}
                onDrillOutcome={drillOutcome}
              />
            ) : (
              !failed && <Loader aria-label={t("reports.loading")} />
            )}
          </Tabs.Panel>
          {everyone && (
            <Tabs.Panel value="staffing" pt="md">
              {staffing.data ? (
                <StaffingPanel data={staffing.data} target={target} onTarget={setTarget} />
              ) : (
                !failed && <Loader aria-label={t("reports.loading")} />
              )}
            </Tabs.Panel>
          )}
          {everyone &&
            BREAKDOWNS.map(([value]) => (
              <Tabs.Panel key={value} value={value} pt="md">
                <Breakdown
                  kind={value}
                  filters={filters}
                  active={tab === value}
                  onDrill={(metric, title, patch) => setDrill({ metric, title, filters: { ...filters, ...patch } })}
                />
              </Tabs.Panel>
            ))}
          <Tabs.Panel value="csat" pt="md">
            {csat.data ? (
              <CsatPanel
                data={csat.data}
                onDrill={({ title, detail, agentId }) =>
                  setDrill({
                    metric: "csat",
                    title,
                    detail,
                    filters: agentId ? { ...filters, agent_id: [agentId] } : filters,
                  })
                }
              />
            ) : csat.error ? (
              <Alert color="red" role="alert">
                {csat.error.message}
              </Alert>
            ) : (
              <Loader aria-label={t("reports.loading")} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="quality" pt="md">
            <QualityReportPanel filters={filters} enabled={tab === "quality"} />
          </Tabs.Panel>
          <Tabs.Panel value="outcomes" pt="md">
            {outcomes.data ? (
              <OutcomesPanel
                data={outcomes.data}
                canManage={me.workspace?.role === "owner" || me.workspace?.role === "manager"}
                onDrill={drillOutcome}
              />
            ) : outcomes.error ? (
              <Alert color="red" role="alert">
                {outcomes.error.message}
              </Alert>
            ) : (
              <Loader aria-label={t("reports.loading")} />
            )}
          </Tabs.Panel>
          {everyone && (
            <Tabs.Panel value="activity" pt="md">
              <ActivityPanel filters={filters} enabled={tab === "activity"} />
            </Tabs.Panel>
          )}
        </Tabs>
      </Stack>
      <Drilldown drill={drill} onClose={() => setDrill(null)} />
    </Box>
  );
}


