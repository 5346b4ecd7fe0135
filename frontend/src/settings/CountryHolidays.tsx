// The country (and region) whose public holidays close a schedule, and the coming year's
// holidays named in the reader's language: untick a public one to work on it, tick an optional
// one (Carnival in Brazil) to close.
import { Badge, Checkbox, Group, Select, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { LanguageCode } from "../i18n";
import { type CountryHoliday, type Draft, closesOn } from "./hoursPreview";

/** The country's holidays for the coming year, named in `language`; none without a country. */
export function useCountryHolidays(draft: Draft, language: string) {
  const country = draft.holiday_country ?? null;
  const subdivision = draft.holiday_subdivision ?? null;
  return useQuery({
    queryKey: ["country-holidays", country, subdivision, language],
    enabled: country !== null,
    staleTime: 3_600_000,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/business-hours/holidays", {
          params: { query: { country: country ?? "", subdivision: subdivision ?? undefined, language: language as LanguageCode } },
        }),
      ),
  });
}

function regionNames(language: string): (code: string) => string {
  try {
    const names = new Intl.DisplayNames([language], { type: "region" });
    return (code) => names.of(code) ?? code;
  } catch {
    return (code) => code;
  }
}

function toggled(list: string[] | undefined, key: string, on: boolean): string[] {
  const rest = (list ?? []).filter((k) => k !== key);
  return on ? [...rest, key].sort() : rest;
}

export function CountryHolidays({ draft, onChange, language }: { draft: Draft; onChange: (d: Draft) => void; language: string }) {
  const { t } = useTranslation();
  const countries = useQuery({
    queryKey: ["holiday-countries"],
    queryFn: () => unwrap(api.GET("/api/v1/business-hours/holiday-countries")),
    staleTime: Infinity,
  });
  const holidays = useCountryHolidays(draft, language);
  const nameOf = useMemo(() => regionNames(language), [language]);
  const countryOptions = useMemo(
    () => (countries.data ?? []).map((c) => ({ value: c.code, label: nameOf(c.code) })).sort((a, b) => a.label.localeCompare(b.label, language)),
    [countries.data, nameOf, language],
  );
  const country = (countries.data ?? []).find((c) => c.code === draft.holiday_country);
  const regions = (country?.subdivisions ?? []).map((s) => ({ value: s.code, label: s.name === s.code ? s.code : `${s.name} (${s.code})` }));
  const setCountry = (code: string | null) =>
    onChange({ ...draft, holiday_country: code, holiday_subdivision: null, skipped_holidays: [], observed_holidays: [] });
  const setClosed = (holiday: CountryHoliday, closed: boolean) =>
    holiday.category === "public"
      ? onChange({ ...draft, skipped_holidays: toggled(draft.skipped_holidays, holiday.key, !closed) })
      : onChange({ ...draft, observed_holidays: toggled(draft.observed_holidays, holiday.key, closed) });
  const dateFormat = new Intl.DateTimeFormat(language, { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" });
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t("hours.countryHolidays")}
      </Title>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label={t("hours.country")}
          placeholder={t("hours.noCountry")}
          data={countryOptions}
          value={draft.holiday_country ?? null}
          onChange={setCountry}
          searchable
          clearable
          limit={300}
          w={260}
          maw="100%"
        />
        {regions.length > 0 && (
          <Select
            label={t("hours.region")}
            placeholder={t("hours.wholeCountry")}
            data={regions}
            value={draft.holiday_subdivision ?? null}
            onChange={(code) => onChange({ ...draft, holiday_subdivision: code, skipped_holidays: [], observed_holidays: [] })}
            searchable
            clearable
            w={260}
            maw="100%"
          />
        )}
      </Group>
      {draft.holiday_country && (
        <Text size="sm" c="dimmed">
          {t("hours.countryHint")}
        </Text>
      )}
      {draft.holiday_country && holidays.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("hours.noCountryHolidays")}
        </Text>
      )}
      <Stack gap={4} role="list" aria-label={t("hours.upcoming")}>
        {(holidays.data ?? []).map((holiday) => (
          <Group key={`${holiday.date}-${holiday.key}`} gap="xs" wrap="nowrap" role="listitem">
            <Checkbox
              size="xs"
              checked={closesOn(holiday, draft)}
              onChange={(e) => setClosed(holiday, e.currentTarget.checked)}
              label={`${dateFormat.format(new Date(`${holiday.date}T00:00:00Z`))} · ${holiday.name}`}
            />
            {holiday.category === "optional" && (
              <Badge size="xs" variant="light" color="gray" style={{ flex: "none" }}>
                {t("hours.optional")}
              </Badge>
            )}
          </Group>
        ))}
      </Stack>
    </Stack>
  );
}
