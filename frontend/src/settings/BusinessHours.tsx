// Business hours (owners and managers): the workspace's weekly hours and holidays, a team's own
// hours where they differ, and a live "open now / opens Monday 09:00" preview while editing.
import { ActionIcon, Alert, Badge, Button, Checkbox, Divider, Group, Paper, Select, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { CountryHolidays, useCountryHolidays } from "./CountryHolidays";
import { type Draft, type DraftPeriod, type Weekday, WEEKDAYS, countryClosedDates, formatWallTime, previewHours, weekdayNames } from "./hoursPreview";

type HoursRead = Schemas["BusinessHoursRead"];
type StoredSchedule = Schemas["BusinessHoursSchedule"];

const WORKSPACE = "workspace";

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function toDraft(schedule: StoredSchedule): Draft {
  return {
    timezone: schedule.timezone,
    is_enabled: schedule.is_enabled,
    periods: schedule.periods.map((p) => ({ weekday: p.weekday, start: p.start, end: p.end })),
    holidays: schedule.holidays.map((h) => ({ date: h.date, name: h.name, is_recurring: h.is_recurring ?? false })),
    holiday_country: schedule.holiday_country,
    holiday_subdivision: schedule.holiday_subdivision,
    skipped_holidays: schedule.skipped_holidays,
    observed_holidays: schedule.observed_holidays,
  };
}

/** The request body: every holiday says whether it comes back every year. */
function toBody(draft: Draft): Schemas["BusinessHoursUpdate"] {
  return {
    ...draft,
    holidays: draft.holidays.map((h) => ({ ...h, is_recurring: h.is_recurring ?? false })),
    holiday_country: draft.holiday_country ?? null,
    holiday_subdivision: draft.holiday_subdivision ?? null,
    skipped_holidays: draft.skipped_holidays ?? [],
    observed_holidays: draft.observed_holidays ?? [],
  };
}

function officeHours(timezone: string): Draft {
  const periods = WEEKDAYS.slice(0, 5).map((weekday) => ({ weekday, start: "09:00", end: "17:00" }));
  return { timezone, is_enabled: true, periods, holidays: [] };
}

function minutes(text: string): number {
  const [h, m] = text.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** A new period for a day: 09:00–17:00 on an empty day, else the hour after its last period. */
function nextPeriod(weekday: Weekday, existing: DraftPeriod[]): DraftPeriod {
  const last = existing.at(-1);
  if (!last) return { weekday, start: "09:00", end: "17:00" };
  const start = Math.min(minutes(last.end === "24:00" ? "23:00" : last.end), 22 * 60);
  const hhmm = (value: number) => `${String(Math.floor(value / 60)).padStart(2, "0")}:${String(value % 60).padStart(2, "0")}`;
  return { weekday, start: hhmm(start), end: hhmm(start + 60) };
}

export function BusinessHours() {
  const { t } = useTranslation();
  const [scope, setScope] = useState(WORKSPACE);
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const workspace = useQuery({ queryKey: ["workspace-current"], queryFn: () => unwrap(api.GET("/api/v1/workspaces/current")) });
  // Distinct keys for the two URLs: one key shared by both queries made a refetch after saving
  // ask for /teams/workspace/business-hours.
  const workspaceHours = useQuery({ queryKey: ["business-hours", WORKSPACE], queryFn: () => unwrap(api.GET("/api/v1/business-hours")) });
  const teamHours = useQuery({
    queryKey: ["business-hours", "team", scope],
    enabled: scope !== WORKSPACE,
    queryFn: () => unwrap(api.GET("/api/v1/teams/{team_id}/business-hours", { params: { path: { team_id: scope } } })),
  });
  const current = scope === WORKSPACE ? workspaceHours : teamHours;
  const scopes = [{ value: WORKSPACE, label: t("hours.workspace") }, ...(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))];
  const defaultZone = workspace.data?.timezone ?? browserZone();
  return (
    <Stack maw={760}>
      <Text size="sm" c="dimmed">
        {t("hours.intro")}
      </Text>
      <Select label={t("hours.scope")} data={scopes} value={scope} onChange={(v) => setScope(v ?? WORKSPACE)} allowDeselect={false} maw={360} />
      {current.error && <Alert color="red">{errorMessage(current.error)}</Alert>}
      {current.data && workspaceHours.data && (
        <ScheduleForm key={scope} scope={scope} read={current.data} workspaceSchedule={workspaceHours.data.schedule} defaultZone={defaultZone} />
      )}
    </Stack>
  );
}

interface FormProps {
  scope: string;
  read: HoursRead;
  workspaceSchedule: StoredSchedule | null;
  defaultZone: string;
}

function ScheduleForm({ scope, read, workspaceSchedule, defaultZone }: FormProps) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const isTeam = scope !== WORKSPACE;
  const [follow, setFollow] = useState(isTeam && read.schedule === null);
  const [draft, setDraft] = useState<Draft>(() => {
    const start = read.schedule ?? (isTeam ? workspaceSchedule : null);
    return start ? toDraft(start) : officeHours(defaultZone);
  });
  const [saved, setSaved] = useState("");
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const state = JSON.stringify({ follow, draft });
  const save = useMutation({
    mutationFn: async () => {
      if (!isTeam) return unwrap(api.PUT("/api/v1/business-hours", { body: toBody(draft) }));
      const path = { params: { path: { team_id: scope } } };
      if (follow) return unwrap(api.DELETE("/api/v1/teams/{team_id}/business-hours", path));
      return unwrap(api.PUT("/api/v1/teams/{team_id}/business-hours", { ...path, body: toBody(draft) }));
    },
    onSuccess: () => {
      setSaved(state);
      void queries.invalidateQueries({ queryKey: ["business-hours"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const shown = follow ? (workspaceSchedule ? toDraft(workspaceSchedule) : null) : draft;
  const countryHolidays = useCountryHolidays(shown ?? draft, i18n.language);
  const closed = shown ? countryClosedDates(shown, countryHolidays.data ?? []) : new Set<string>();
  return (
    <Stack component="form" onSubmit={submit} gap="md">
      <Preview draft={shown} now={now} closed={closed} />
      {!isTeam && read.schedule === null && (
        <Text size="sm" c="dimmed">
          {t("hours.none")}
        </Text>
      )}
      {isTeam && <Switch label={t("hours.followWorkspace")} checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} />}
      {follow ? (
        <Text size="sm" c="dimmed">
          {t("hours.following")}
        </Text>
      ) : (
        <DraftEditor draft={draft} onChange={setDraft} language={i18n.language} />
      )}
      {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
      {save.isSuccess && saved === state && (
        <Alert color="teal" role="status">
          {t("hours.saved")}
        </Alert>
      )}
      <Button type="submit" w="fit-content" loading={save.isPending}>
        {t("hours.save")}
      </Button>
    </Stack>
  );
}

function Preview({ draft, now, closed }: { draft: Draft | null; now: Date; closed: ReadonlySet<string> }) {
  const { t, i18n } = useTranslation();
  const preview = previewHours(draft, now, closed);
  const when = (time: Parameters<typeof formatWallTime>[0]) => formatWallTime(time, i18n.language, now, draft?.timezone ?? "UTC");
  let text: string;
  let open = true;
  if (preview.state === "always") text = t("hours.status.always");
  else if (preview.state === "open") text = preview.closes ? t("hours.status.openUntil", { when: when(preview.closes) }) : t("hours.status.open");
  else {
    open = false;
    text = preview.opens ? t("hours.status.opens", { when: when(preview.opens) }) : t("hours.status.never");
  }
  return (
    <Group gap="xs" role="status" aria-live="polite" aria-label={t("hours.status.label")}>
      <Badge color={open ? "teal" : "gray"} variant="light" size="lg" style={{ textTransform: "none", height: "auto", whiteSpace: "normal" }}>
        {text}
      </Badge>
    </Group>
  );
}

function DraftEditor({ draft, onChange, language }: { draft: Draft; onChange: (d: Draft) => void; language: string }) {
  const { t } = useTranslation();
  const names = useMemo(() => weekdayNames(language), [language]);
  // The server's list: browsers name some zones by old aliases (Asia/Saigon for Asia/Ho_Chi_Minh).
  const offered = useQuery({
    queryKey: ["time-zones"],
    queryFn: () => unwrap(api.GET("/api/v1/business-hours/time-zones")),
    staleTime: Infinity,
  });
  const zones = useMemo(() => {
    const all = offered.data ?? [];
    return all.includes(draft.timezone) ? all : [draft.timezone, ...all];
  }, [offered.data, draft.timezone]);
  const setPeriod = (index: number, change: Partial<DraftPeriod>) =>
    onChange({ ...draft, periods: draft.periods.map((p, i) => (i === index ? { ...p, ...change } : p)) });
  const addPeriod = (weekday: Weekday) =>
    onChange({ ...draft, periods: [...draft.periods, nextPeriod(weekday, draft.periods.filter((p) => p.weekday === weekday))] });
  const removePeriod = (index: number) => onChange({ ...draft, periods: draft.periods.filter((_, i) => i !== index) });
  return (
    <Stack gap="md">
      <Switch label={t("hours.enabled")} checked={draft.is_enabled} onChange={(e) => onChange({ ...draft, is_enabled: e.currentTarget.checked })} />
      {!draft.is_enabled && (
        <Text size="sm" c="dimmed">
          {t("hours.disabled")}
        </Text>
      )}
      <Select
        label={t("hours.timezone")}
        data={zones}
        value={draft.timezone}
        onChange={(zone) => zone && onChange({ ...draft, timezone: zone })}
        searchable
        allowDeselect={false}
        maw={360}
        limit={400}
      />
      <Title order={3} size="h5">
        {t("hours.week")}
      </Title>
      <Paper withBorder p="xs">
        {WEEKDAYS.map((weekday, w) => {
          const day = names[w] ?? weekday;
          const rows = draft.periods.map((period, index) => ({ period, index })).filter((row) => row.period.weekday === weekday);
          return (
            <Stack key={weekday} gap={4}>
              {w > 0 && <Divider my={4} />}
              <Group align="flex-start" gap="xs" wrap="wrap">
                <Text fw={600} w={140} pt={4}>
                  {day}
                </Text>
                <Stack gap={6} style={{ flex: 1, minWidth: 240 }}>
                  {rows.length === 0 && (
                    <Text size="sm" c="dimmed" pt={4}>
                      {t("hours.closedDay")}
                    </Text>
                  )}
                  {rows.map(({ period, index }, n) => {
                    const overnight = period.end !== "24:00" && period.end !== "00:00" && minutes(period.end) < minutes(period.start);
                    return (
                      <Group key={index} gap={6} wrap="wrap">
                        <TextInput
                          type="time"
                          size="xs"
                          w={108}
                          aria-label={t("hours.opensAt", { day, n: n + 1 })}
                          value={period.start}
                          onChange={(e) => setPeriod(index, { start: e.currentTarget.value })}
                        />
                        <Text size="sm" aria-hidden="true">
                          –
                        </Text>
                        <TextInput
                          type="time"
                          size="xs"
                          w={108}
                          aria-label={t("hours.closesAt", { day, n: n + 1 })}
                          value={period.end === "24:00" ? "00:00" : period.end}
                          onChange={(e) => setPeriod(index, { end: e.currentTarget.value })}
                        />
                        {overnight && (
                          <Text size="xs" c="dimmed">
                            {t("hours.nextDay")}
                          </Text>
                        )}
                        <ActionIcon variant="subtle" color="red" aria-label={t("hours.removePeriod", { day, n: n + 1 })} onClick={() => removePeriod(index)}>
                          ×
                        </ActionIcon>
                      </Group>
                    );
                  })}
                  <Button size="compact-sm" variant="subtle" w="fit-content" px={4} aria-label={t("hours.addPeriodOn", { day })} onClick={() => addPeriod(weekday)}>
                    + {t("hours.addPeriod")}
                  </Button>
                </Stack>
              </Group>
            </Stack>
          );
        })}
      </Paper>
      <CountryHolidays draft={draft} onChange={onChange} language={language} />
      <Holidays draft={draft} onChange={onChange} />
    </Stack>
  );
}

function Holidays({ draft, onChange }: { draft: Draft; onChange: (d: Draft) => void }) {
  const { t } = useTranslation();
  const [date, setDate] = useState("");
  const [name, setName] = useState("");
  const [yearly, setYearly] = useState(false);
  const add = () => {
    if (!date || !name.trim()) return;
    const holidays = [...draft.holidays, { date, name: name.trim(), is_recurring: yearly }].sort((a, b) => a.date.localeCompare(b.date));
    onChange({ ...draft, holidays });
    setDate("");
    setName("");
    setYearly(false);
  };
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t("hours.holidays")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("hours.holidaysHint")}
      </Text>
      {draft.holidays.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("hours.noHolidays")}
        </Text>
      )}
      {draft.holidays.map((holiday, index) => (
        <Group key={`${holiday.date}-${index}`} gap="xs" wrap="wrap">
          <Text size="sm" w={100}>
            {holiday.date}
          </Text>
          <Text size="sm" fw={500} style={{ flex: 1, minWidth: 120 }}>
            {holiday.name}
          </Text>
          <Checkbox
            size="xs"
            label={t("hours.everyYear")}
            checked={holiday.is_recurring ?? false}
            onChange={(e) => {
              const checked = e.currentTarget.checked;
              onChange({ ...draft, holidays: draft.holidays.map((h, i) => (i === index ? { ...h, is_recurring: checked } : h)) });
            }}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={t("hours.removeHoliday", { name: holiday.name })}
            onClick={() => onChange({ ...draft, holidays: draft.holidays.filter((_, i) => i !== index) })}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput type="date" size="xs" label={t("hours.holidayDate")} value={date} onChange={(e) => setDate(e.currentTarget.value)} />
        <TextInput size="xs" label={t("hours.holidayName")} value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 1, minWidth: 140 }} />
        <Checkbox size="xs" label={t("hours.everyYear")} checked={yearly} onChange={(e) => setYearly(e.currentTarget.checked)} mb={6} />
        <Button size="xs" variant="light" onClick={add} disabled={!date || !name.trim()}>
          {t("hours.addHoliday")}
        </Button>
      </Group>
    </Stack>
  );
}
