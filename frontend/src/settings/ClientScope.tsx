// A viewer's client access: the teams and/or channels of the one client company it may see.
import { Group, MultiSelect, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Schemas, api, unwrap } from "../api/client";

export type ScopeIds = { team_ids: string[]; channel_ids: string[] };

export const NO_SCOPE: ScopeIds = { team_ids: [], channel_ids: [] };

export function scopeIds(scope: Schemas["ClientScopeRead"] | null | undefined): ScopeIds {
  if (!scope) return NO_SCOPE;
  return { team_ids: scope.teams.map((t) => t.id), channel_ids: scope.channels.map((c) => c.id) };
}

/** The scope to send: null (the whole workspace) when nothing is chosen. */
export function scopeBody(scope: ScopeIds): ScopeIds | null {
  return scope.team_ids.length || scope.channel_ids.length ? scope : null;
}

export function ClientScopeInput({
  name,
  value,
  onChange,
  disabled,
}: {
  name?: string;
  value: ScopeIds;
  onChange: (next: ScopeIds) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const channels = useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")) });
  const who = name ? { name } : undefined;
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap" align="flex-start">
        <MultiSelect
          size="xs"
          miw={180}
          label={t("clientAccess.teams")}
          aria-label={who ? t("clientAccess.teamsOf", who) : undefined}
          placeholder={value.team_ids.length ? undefined : t("clientAccess.any")}
          data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
          value={value.team_ids}
          onChange={(team_ids) => onChange({ ...value, team_ids })}
          disabled={disabled}
          clearable
        />
        <MultiSelect
          size="xs"
          miw={180}
          label={t("clientAccess.channels")}
          aria-label={who ? t("clientAccess.channelsOf", who) : undefined}
          placeholder={value.channel_ids.length ? undefined : t("clientAccess.any")}
          data={(channels.data ?? []).map((channel) => ({ value: channel.id, label: channel.name }))}
          value={value.channel_ids}
          onChange={(channel_ids) => onChange({ ...value, channel_ids })}
          disabled={disabled}
          clearable
        />
      </Group>
      <Text size="xs" c="dimmed">
        {scopeBody(value) ? t("clientAccess.limited") : t("clientAccess.whole")}
      </Text>
    </Stack>
  );
}
