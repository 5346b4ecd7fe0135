// The report's filters: period (a preset or two dates), time zone, teams, agents, channels,
// tags and outcomes. On a phone only the period shows; the rest open from a button that counts
// the ones narrowing the report, so the figures come first.
import { Badge, Button, Collapse, Group, MultiSelect, Select, TagsInput, TextInput } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMembers } from "../hooks/useMembers";
import type { Preset, ReportFilters } from "./hooks";

const PRESETS: Preset[] = ["today", "yesterday", "last_7_days", "last_30_days", "this_month", "custom"];

export function Filters({
  value,
  onChange,
  everyone,
}: {
  value: ReportFilters;
  onChange: (next: ReportFilters) => void;
  everyone: boolean;
}) {
  const { t } = useTranslation();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const channels = useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")) });
  const members = useMembers();
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")) });
  const zones = useQuery({
    queryKey: ["time-zones"],
    queryFn: () => unwrap(api.GET("/api/v1/business-hours/time-zones")),
    staleTime: Infinity,
  });
  const phone = useMediaQuery("(max-width: 48em)");
  const [more, { toggle }] = useDisclosure(false);
  const set = (patch: Partial<ReportFilters>) => onChange({ ...value, ...patch });
  const chosen = [value.team_id, value.agent_id, value.channel_id, value.tag_id ?? [], value.outcome ?? []];
  const narrowing = chosen.filter((ids) => ids.length > 0).length;
  const period = (
    <>
      <Select
        label={t("reports.filters.period")}
        data={PRESETS.map((p) => ({ value: p, label: t(`reports.presets.${p}`) }))}
        value={value.period}
        onChange={(p) => p && set({ period: p as Preset })}
        allowDeselect={false}
        w={170}
      />
      {value.period === "custom" && (
        <>
          <TextInput
            type="date"
            label={t("reports.filters.from")}
            value={value.start_date ?? ""}
            onChange={(e) => set({ start_date: e.currentTarget.value })}
            w={160}
          />
          <TextInput
            type="date"
            label={t("reports.filters.to")}
            value={value.end_date ?? ""}
            onChange={(e) => set({ end_date: e.currentTarget.value })}
            w={160}
          />
        </>
      )}
    </>
  );
  const rest = (
    <>
      <Select
        label={t("reports.filters.timezone")}
        data={zones.data ?? [value.tz]}
        value={value.tz}
        onChange={(tz) => tz && set({ tz })}
        searchable
        allowDeselect={false}
        w={200}
      />
      <MultiSelect
        label={t("reports.filters.teams")}
        placeholder={value.team_id.length ? undefined : t("reports.filters.all")}
        data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
        value={value.team_id}
        onChange={(team_id) => set({ team_id })}
        clearable
        w={200}
      />
      {everyone && (
        <MultiSelect
          label={t("reports.filters.agents")}
          placeholder={value.agent_id.length ? undefined : t("reports.filters.all")}
          data={members.items.filter((m) => m.role !== "viewer").map((m) => ({ value: m.user_id, label: m.name }))}
          value={value.agent_id}
          onChange={(agent_id) => set({ agent_id })}
          searchable
          clearable
          w={200}
        />
      )}
      <MultiSelect
        label={t("reports.filters.channels")}
        placeholder={value.channel_id.length ? undefined : t("reports.filters.all")}
        data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        value={value.channel_id}
        onChange={(channel_id) => set({ channel_id })}
        clearable
        w={200}
      />
      <MultiSelect
        label={t("breakdowns.filters.tags")}
        placeholder={value.tag_id?.length ? undefined : t("reports.filters.all")}
        data={(tags.data ?? []).map((tag) => ({ value: tag.id, label: tag.name }))}
        value={value.tag_id ?? []}
        onChange={(tag_id) => set({ tag_id })}
        searchable
        clearable
        w={200}
      />
      <TagsInput
        label={t("breakdowns.filters.outcomes")}
        placeholder={value.outcome?.length ? undefined : t("reports.filters.all")}
        data={(tags.data ?? []).filter((tag) => tag.is_outcome).map((tag) => tag.name)}
        value={value.outcome ?? []}
        onChange={(outcome) => set({ outcome })}
        maxLength={80}
        clearable
        w={200}
      />
    </>
  );
  if (!phone) {
    return (
      <Group gap="sm" align="flex-end" wrap="wrap">
        {period}
        {rest}
      </Group>
    );
  }
  return (
    <>
      <Group gap="sm" align="flex-end" wrap="wrap">
        {period}
        <Button
          variant="light"
          onClick={toggle}
          aria-expanded={more}
          aria-controls="report-filters"
          rightSection={narrowing > 0 ? <Badge size="sm" circle>{narrowing}</Badge> : undefined}
        >
          {t("reports.filters.more")}
        </Button>
      </Group>
      <Collapse in={more} id="report-filters">
        <Group gap="sm" align="flex-end" wrap="wrap" mt="sm">
          {rest}
        </Group>
      </Collapse>
    </>
  );
}
