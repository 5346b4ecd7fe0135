// The contacts page: the list with its search and filters, its CSV export, importing a CSV,
// duplicate suggestions and the recent imports (the last three for owners and managers).
import { Alert, Badge, Button, Group, Select, Stack, Table, Tabs, Text, TextInput, Title } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Me, api, errorMessage, unwrap } from "../api/client";
import { ContactDuplicates } from "./ContactDuplicates";
import { ContactImportWizard, ImportProgress, ImportReport } from "./ContactImport";
import { downloadPost } from "./download";

const STAGES = ["new_lead", "hot_lead", "customer", "lost"] as const;
type Stage = (typeof STAGES)[number];
const PAGE = 50;

interface Filters {
  q: string;
  lifecycle_stage: Stage | null;
  tag_id: string | null;
}

/** The export's body: the list's filters, those set. */
export function exportBody(filters: Filters): Record<string, string> {
  const body: Record<string, string> = {};
  if (filters.q.trim()) body.q = filters.q.trim();
  if (filters.lifecycle_stage) body.lifecycle_stage = filters.lifecycle_stage;
  if (filters.tag_id) body.tag_id = filters.tag_id;
  return body;
}

function ContactList({ admin }: { admin: boolean }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({ q: "", lifecycle_stage: null, tag_id: null });
  const [importing, setImporting] = useState(false);
  const exporting = useMutation({
    mutationFn: () => downloadPost("/api/v1/contacts/export", exportBody(filters), "contacts.csv"),
  });
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")) });
  const list = useInfiniteQuery({
    queryKey: ["contacts", "list", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/contacts", {
          params: {
            query: {
              q: filters.q.trim() || undefined,
              lifecycle_stage: filters.lifecycle_stage ?? undefined,
              tag_id: filters.tag_id ?? undefined,
              limit: PAGE,
              cursor: pageParam ?? undefined,
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput
          label={t("contactsPage.search")}
          value={filters.q}
          onChange={(e) => setFilters({ ...filters, q: e.currentTarget.value })}
          w={220}
        />
        <Select
          label={t("contactsPage.stage")}
          data={STAGES.map((s) => ({ value: s, label: t(`contact.stages.${s}`) }))}
          value={filters.lifecycle_stage}
          onChange={(v) => setFilters({ ...filters, lifecycle_stage: v as Stage | null })}
          clearable
          w={160}
        />
        <Select
          label={t("contactsPage.tag")}
          data={(tags.data ?? []).map((tag) => ({ value: tag.id, label: tag.name }))}
          value={filters.tag_id}
          onChange={(v) => setFilters({ ...filters, tag_id: v })}
          clearable
          w={160}
        />
        {admin && (
          <Group gap="xs">
            <Button variant="default" loading={exporting.isPending} onClick={() => exporting.mutate()}>
              {t("contactsPage.export")}
            </Button>
            <Button onClick={() => setImporting(true)}>{t("contactsPage.import")}</Button>
          </Group>
        )}
      </Group>
      {exporting.error && (
        <Alert color="red" role="alert">
          {errorMessage(exporting.error)}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={360}>
        <Table aria-label={t("contactsPage.title")} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("contactsPage.name")}</Table.Th>
              <Table.Th>{t("contactsPage.phone")}</Table.Th>
              <Table.Th>{t("contactsPage.email")}</Table.Th>
              <Table.Th>{t("contactsPage.stage")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{c.phone}</Table.Td>
                <Table.Td>{c.email}</Table.Td>
                <Table.Td>{c.lifecycle_stage && <Badge variant="light">{t(`contact.stages.${c.lifecycle_stage}`)}</Badge>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.isSuccess && rows.length === 0 && <Text c="dimmed">{t("contactsPage.none")}</Text>}
      {list.hasNextPage && (
        <Button variant="subtle" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t("contactsPage.more")}
        </Button>
      )}
      <ContactImportWizard opened={importing} onClose={() => setImporting(false)} />
    </Stack>
  );
}

function RecentImports() {
  const { t, i18n } = useTranslation();
  const imports = useQuery({ queryKey: ["contact-imports"], queryFn: () => unwrap(api.GET("/api/v1/contact-imports")) });
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const items = (imports.data?.items ?? []).filter((i) => i.status !== "uploaded");
  if (imports.isSuccess && items.length === 0) return <Text c="dimmed">{t("contactsPage.noImports")}</Text>;
  return (
    <Stack gap="lg">
      {items.map((item) => (
        <Stack key={item.id} gap="xs" role="region" aria-label={item.file_name}>
          <Text fw={600}>
            {item.file_name}
            <Text span size="sm" c="dimmed">
              {" · "}
              {when.format(new Date(item.created_at))}
            </Text>
          </Text>
          <ImportProgress item={item} />
          {(item.status === "done" || item.status === "failed") && <ImportReport item={item} />}
        </Stack>
      ))}
    </Stack>
  );
}

export function Contacts({ me }: { me: Me }) {
  const { t } = useTranslation();
  const role = me.workspace?.role;
  const admin = role === "owner" || role === "manager";
  return (
    <Stack p={{ base: "xs", sm: "md" }} gap="md" style={{ flex: 1, overflowY: "auto", minWidth: 0 }}>
      <Title order={2} size="h3">
        {t("contactsPage.title")}
      </Title>
      <Tabs defaultValue="list" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="list">{t("contactsPage.tabs.list")}</Tabs.Tab>
          {admin && <Tabs.Tab value="duplicates">{t("contactsPage.tabs.duplicates")}</Tabs.Tab>}
          {admin && <Tabs.Tab value="imports">{t("contactsPage.tabs.imports")}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="list" pt="md">
          <ContactList admin={admin} />
        </Tabs.Panel>
        {admin && (
          <Tabs.Panel value="duplicates" pt="md">
            <ContactDuplicates />
          </Tabs.Panel>
        )}
        {admin && (
          <Tabs.Panel value="imports" pt="md">
            <RecentImports />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
