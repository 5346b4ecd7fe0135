// Duplicate suggestions: contacts sharing a phone or an email (often one person on two
// channels), merged into the oldest in one click; recent merges can be undone for seven days.
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";

type Group = Schemas["DuplicateGroupRead"];

function useRefresh() {
  const queries = useQueryClient();
  return () => {
    void queries.invalidateQueries({ queryKey: ["contact-duplicates"] });
    void queries.invalidateQueries({ queryKey: ["contact-merges"] });
    void queries.invalidateQueries({ queryKey: ["contacts"] });
  };
}

function DuplicateCard({ group }: { group: Group }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [keep, ...others] = group.contacts;
  const merge = useMutation({
    mutationFn: async () => {
      if (!keep) return;
      for (const other of others) {
        await unwrap(api.POST("/api/v1/contact-merges", { body: { kept_contact_id: keep.id, merged_contact_id: other.id } }));
      }
    },
    onSettled: refresh,
  });
  const label = t(`contactDuplicates.match.${group.match}`, { value: group.value });
  return (
    <Card withBorder padding="sm" role="group" aria-label={label}>
      <Stack gap={6}>
        <Text fw={600} size="sm">
          {label}
        </Text>
        {group.contacts.map((c, index) => (
          <Group key={c.id} gap="xs" wrap="wrap">
            <Text size="sm">{c.name}</Text>
            {index === 0 && (
              <Badge size="xs" variant="light">
                {t("contactDuplicates.kept")}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {c.identities.map((i) => i.channel_name).join(", ") || t("contactDuplicates.noChannel")}
            </Text>
          </Group>
        ))}
        {merge.error && (
          <Alert color="red" role="alert">
            {errorMessage(merge.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button size="xs" loading={merge.isPending} onClick={() => merge.mutate()}>
            {t("contactDuplicates.merge", { name: keep?.name ?? "" })}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function RecentMerges() {
  const { t, i18n } = useTranslation();
  const refresh = useRefresh();
  const merges = useQuery({ queryKey: ["contact-merges"], queryFn: () => unwrap(api.GET("/api/v1/contact-merges")) });
  const undo = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/contact-merges/{merge_id}/undo", { params: { path: { merge_id: id } } })),
    onSettled: refresh,
  });
  const items = merges.data?.items ?? [];
  if (items.length === 0) return null;
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Stack gap="xs" role="region" aria-label={t("contactDuplicates.recent")}>
      <Title order={3} size="h5">
        {t("contactDuplicates.recent")}
      </Title>
      {undo.error && (
        <Alert color="red" role="alert">
          {errorMessage(undo.error)}
        </Alert>
      )}
      {items.map((m) => (
        <Group key={m.id} justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm">
            {t("contactDuplicates.merged", { other: m.merged_contact_name, keep: m.kept_contact_name })}
            <Text span size="xs" c="dimmed">
              {" · "}
              {when.format(new Date(m.created_at))}
            </Text>
          </Text>
          {m.undone_at ? (
            <Badge variant="light" color="gray">
              {t("contactDuplicates.undone")}
            </Badge>
          ) : (
            m.can_undo && (
              <Button
                size="xs"
                variant="default"
                loading={undo.isPending && undo.variables === m.id}
                onClick={() => undo.mutate(m.id)}
                aria-label={t("contactDuplicates.undoNamed", { other: m.merged_contact_name })}
              >
                {t("contactDuplicates.undo")}
              </Button>
            )
          )}
        </Group>
      ))}
    </Stack>
  );
}

export function ContactDuplicates() {
  const { t } = useTranslation();
  const groups = useQuery({ queryKey: ["contact-duplicates"], queryFn: () => unwrap(api.GET("/api/v1/contacts/duplicates")) });
  const items = groups.data?.items ?? [];
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("contactDuplicates.help")}
      </Text>
      {groups.isSuccess && items.length === 0 && <Text>{t("contactDuplicates.none")}</Text>}
      {items.map((g) => (
        <DuplicateCard key={`${g.match}:${g.value}`} group={g} />
      ))}
      <RecentMerges />
    </Stack>
  );
}
