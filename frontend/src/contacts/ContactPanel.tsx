// Who the customer is: details, stage, owner, tags, custom fields and their other conversations; merging a duplicate.
import { Badge, Divider, Group, MultiSelect, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { ContactAvatar } from "./ContactAvatar";
import { ContactFields } from "./ContactFields";
import { ContactLanguage } from "./ContactLanguage";
import { ContactMerge } from "./ContactMerge";
import { ContactOwner } from "./ContactOwner";
import { ContactPrivacy } from "./ContactPrivacy";
import { tagOptions } from "../components/tagOptions";

const STAGES = ["new_lead", "hot_lead", "customer", "lost"] as const;
type Stage = (typeof STAGES)[number];

export function ContactPanel({ contactId, canWrite }: { contactId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const path = { params: { path: { contact_id: contactId } } };
  const contact = useQuery({ queryKey: ["contact", contactId], queryFn: () => unwrap(api.GET("/api/v1/contacts/{contact_id}", path)) });
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")) });
  const others = useQuery({
    queryKey: ["conversations", "contact", contactId],
    queryFn: () => unwrap(api.GET("/api/v1/conversations", { params: { query: { contact_id: contactId, limit: 20 } } })),
  });
  const [name, setName] = useState("");
  useEffect(() => setName(contact.data?.name ?? ""), [contact.data?.name]);
  const saved = () => queries.invalidateQueries({ queryKey: ["contact", contactId] });
  const update = useMutation({
    mutationFn: (body: { name?: string; lifecycle_stage?: Stage | null }) =>
      unwrap(api.PATCH("/api/v1/contacts/{contact_id}", { ...path, body })),
    onSuccess: saved,
  });
  const setTags = useMutation({
    mutationFn: (tag_ids: string[]) => unwrap(api.PUT("/api/v1/contacts/{contact_id}/tags", { ...path, body: { tag_ids } })),
    onSuccess: saved,
  });
  const c = contact.data;
  if (!c) return <Text p="md">{t("app.loading")}</Text>;
  return (
    <Stack p="md" gap="sm" w={300} style={{ borderLeft: "1px solid var(--mantine-color-gray-3)", overflowY: "auto" }} aria-label={t("contact.title")}>
      <Group gap="sm" wrap="nowrap">
        <ContactAvatar name={c.name} url={c.avatar_url} size="lg" />
        <Title order={3} size="h5">
          {t("contact.title")}
        </Title>
      </Group>
      <TextInput
        label={t("contact.name")}
        value={name}
        readOnly={!canWrite}
        onChange={(e) => setName(e.currentTarget.value)}
        onBlur={() => name && name !== c.name && update.mutate({ name })}
      />
      {c.phone && <Text size="sm">{c.phone}</Text>}
      {c.email && <Text size="sm">{c.email}</Text>}
      {c.identities.length > 0 && (
        <Stack gap={2} role="group" aria-label={t("contact.identities")}>
          <Text size="xs" c="dimmed">
            {t("contact.identities")}
          </Text>
          {c.identities.map((i) => (
            <Text key={`${i.channel_id}:${i.provider_id}`} size="sm" truncate>
              {i.channel_name} · {i.profile_name && i.profile_name !== c.name ? `${i.profile_name} · ` : ""}
              {i.provider_id}
              {i.opted_out_at && (
                <Badge ml={4} size="xs" color="red" variant="light" title={t("optOut.explained", { channel: i.channel_name })}>
                  {t("optOut.badge")}
                </Badge>
              )}
            </Text>
          ))}
        </Stack>
      )}
      <Select
        label={t("contact.stage")}
        data={STAGES.map((s) => ({ value: s, label: t(`contact.stages.${s}`) }))}
        value={c.lifecycle_stage ?? null}
        readOnly={!canWrite}
        clearable
        onChange={(v) => update.mutate({ lifecycle_stage: (v as Stage | null) ?? null })}
      />
      <ContactLanguage contact={c} canWrite={canWrite} />
      <ContactOwner contact={c} canWrite={canWrite} />
      <MultiSelect
        label={t("contact.tags")}
        data={tagOptions(tags.data ?? [], c.tags)}
        value={c.tags.map((tag) => tag.id)}
        readOnly={!canWrite}
        onChange={(ids) => setTags.mutate(ids)}
      />
      <ContactFields contact={c} canWrite={canWrite} />
      {canWrite && <ContactMerge keep={c} />}
      <ContactPrivacy contactId={c.id} name={c.name} />
      <Divider label={t("contact.conversations")} labelPosition="left" />
      {(others.data?.items ?? []).map((conv) => (
        <Group key={conv.id} justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm" truncate component={Link} to={`/conversations/${conv.id}`}>
            {conv.channel.name}
          </Text>
          <Badge size="xs" variant="light">
            {t(`status.${conv.status}`)}
          </Badge>
        </Group>
      ))}
    </Stack>
  );
}
