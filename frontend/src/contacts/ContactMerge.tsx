// Merge a duplicate into this contact: find it, see what is kept, confirm.
import { Alert, Button, Checkbox, Group, Modal, Radio, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue, useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { mergePreview } from "./mergePreview";

type Contact = Schemas["ContactRead"];

/** The "Merge with another contact…" button and its dialog; the kept contact is `keep`. */
export function ContactMerge({ keep }: { keep: Contact }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const phone = useMediaQuery("(max-width: 48em)");
  return (
    <>
      <Button variant="subtle" color="red" size="xs" onClick={() => setOpened(true)}>
        {t("contacts.merge.open")}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t("contacts.merge.title", { name: keep.name })} size="lg" fullScreen={!!phone} closeButtonProps={{ "aria-label": t("a11y.close") }}>
        {opened && <MergeDialog keep={keep} onDone={() => setOpened(false)} />}
      </Modal>
    </>
  );
}

function MergeDialog({ keep, onDone }: { keep: Contact; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [q, setQ] = useState("");
  const [search] = useDebouncedValue(q.trim(), 250);
  const [otherId, setOtherId] = useState<string | null>(null);
  const [sure, setSure] = useState(false);
  const found = useQuery({
    queryKey: ["contacts", "search", search],
    queryFn: () => unwrap(api.GET("/api/v1/contacts", { params: { query: { q: search, limit: 10 } } })),
    enabled: search.length > 0,
  });
  const candidates = (found.data?.items ?? []).filter((c) => c.id !== keep.id);
  const other = candidates.find((c) => c.id === otherId) ?? null;
  const merge = useMutation({
    mutationFn: (other_contact_id: string) =>
      unwrap(api.POST("/api/v1/contacts/{contact_id}/merge", { params: { path: { contact_id: keep.id } }, body: { other_contact_id } })),
    onSuccess: (kept) => {
      queries.setQueryData(["contact", keep.id], kept);
      void queries.invalidateQueries({ queryKey: ["contacts"] });
      void queries.invalidateQueries({ queryKey: ["conversations"] });
      onDone();
    },
  });
  const choose = (id: string) => {
    setOtherId(id);
    setSure(false);
    merge.reset();
  };
  return (
    <Stack gap="sm">
      <TextInput
        label={t("contacts.merge.search")}
        description={t("contacts.merge.searchHelp")}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        data-autofocus
      />
      {search && found.isSuccess && candidates.length === 0 && <Text size="sm" c="dimmed">{t("contacts.merge.noMatch")}</Text>}
      {found.isError && <Alert color="red">{errorMessage(found.error)}</Alert>}
      {candidates.length > 0 && (
        <Radio.Group label={t("contacts.merge.results")} value={otherId} onChange={choose}>
          <Stack gap={6} mt={4}>
            {candidates.map((c) => (
              <Radio key={c.id} value={c.id} label={c.name} description={[c.phone, c.email].filter(Boolean).join(" · ") || undefined} />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {other && <Preview keep={keep} other={other} />}
      {other && (
        <Checkbox
          checked={sure}
          onChange={(e) => setSure(e.currentTarget.checked)}
          label={t("contacts.merge.confirm", { other: other.name, keep: keep.name })}
        />
      )}
      {merge.error && <Alert color="red" title={t("contacts.merge.failed")}>{failure(merge.error, t)}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t("contacts.merge.cancel")}
        </Button>
        <Button color="red" disabled={!other || !sure} loading={merge.isPending} onClick={() => other && merge.mutate(other.id)}>
          {t("contacts.merge.submit")}
        </Button>
      </Group>
    </Stack>
  );
}

function failure(error: unknown, t: (key: string, values?: Record<string, string>) => string): string {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 409) return t("contacts.merge.conflict");
  if (status === 404) return t("contacts.merge.gone");
  if (status === 403) return t("contacts.merge.forbidden");
  if (status === 422) return t("contacts.merge.invalid", { reason: errorMessage(error) });
  return errorMessage(error);
}

function Preview({ keep, other }: { keep: Contact; other: Contact }) {
  const { t } = useTranslation();
  const kept = mergePreview(keep, other);
  const column = (title: string, c: { name: string; phone: string | null; email: string | null; owner: string | null; channels: string[]; tags: string[] }) => (
    <Stack gap={4} role="group" aria-label={title} p="xs" style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 4, minWidth: 0 }}>
      <Title order={4} size="h6">
        {title}
      </Title>
      <Row label={t("contacts.merge.name")} value={c.name} />
      <Row label={t("contacts.merge.phone")} value={c.phone} />
      <Row label={t("contacts.merge.email")} value={c.email} />
      <Row label={t("contacts.owner.label")} value={c.owner} />
      <Row label={t("contacts.merge.channels")} value={c.channels.join(", ")} />
      <Row label={t("contacts.merge.tags")} value={c.tags.join(", ")} />
    </Stack>
  );
  const shown = (c: Contact) => ({
    name: c.name,
    phone: c.phone,
    email: c.email,
    owner: c.owner?.name ?? null,
    channels: c.identities.map(channelText),
    tags: c.tags.map((tag) => tag.name),
  });
  return (
    <Stack gap="xs">
      <Text size="sm">{t("contacts.merge.explain", { other: other.name, keep: keep.name })}</Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        {column(t("contacts.merge.thisContact"), shown(keep))}
        {column(t("contacts.merge.otherContact"), shown(other))}
        {column(t("contacts.merge.result"), { ...kept, channels: kept.identities.map(channelText), tags: kept.tags.map((tag) => tag.name) })}
      </SimpleGrid>
    </Stack>
  );
}

function channelText(i: Schemas["IdentityRead"]): string {
  return `${i.channel_name} · ${i.provider_id}`;
}

function Row({ label, value }: { label: string; value: string | null }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" style={{ overflowWrap: "anywhere" }}>
      <Text span c="dimmed" size="xs">
        {label}:
      </Text>{" "}
      {value || t("contacts.merge.empty")}
    </Text>
  );
}
