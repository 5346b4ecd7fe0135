// Workspace settings for owners and managers: members and invitations, website chat channels.
import { Alert, Badge, Button, Code, CopyButton, Group, Select, Stack, Table, Tabs, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { BusinessHours } from "./BusinessHours";
import { Canned, Tags, Teams, Tokens } from "./Catalogue";
import { CustomFields } from "./CustomFields";
import { TelegramChannel } from "./TelegramChannel";
import { MetaMessagingChannel, MetaMessagingDetails } from "./MetaMessagingChannel";
import { WhatsAppChannel, WhatsAppDetails } from "./WhatsAppChannel";
import { Routing } from "./Routing";
import { isTeamless } from "../components/NoTeamNotice";

type Role = "owner" | "manager" | "agent" | "viewer";
const ROLES: Role[] = ["owner", "manager", "agent", "viewer"];

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
          <Tabs.Tab value="custom-fields">{t("customFields.title")}</Tabs.Tab>
          <Tabs.Tab value="routing">{t("routing.settings.tab")}</Tabs.Tab>
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
        <Tabs.Panel value="custom-fields" pt="md">
          <CustomFields />
        </Tabs.Panel>
        <Tabs.Panel value="routing" pt="md">
          <Routing />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Members() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const members = useQuery({ queryKey: ["members"], queryFn: () => unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100 } } })) });
  const invitations = useQuery({ queryKey: ["invitations"], queryFn: () => unwrap(api.GET("/api/v1/invitations")) });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/invitations", { body: { email, role } })),
    onSuccess: () => {
      setEmail("");
      void queries.invalidateQueries({ queryKey: ["invitations"] });
    },
  });
  const changeRole = useMutation({
    mutationFn: (v: { userId: string; role: Role }) =>
      unwrap(api.PATCH("/api/v1/members/{user_id}", { params: { path: { user_id: v.userId } }, body: { role: v.role } })),
    onSettled: () => queries.invalidateQueries({ queryKey: ["members"] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
  return (
    <Stack>
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput label={t("settings.inviteEmail")} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <Select label={t("settings.role")} data={roleOptions} value={role} onChange={(r) => setRole((r as Role) ?? "agent")} allowDeselect={false} />
          <Button type="submit" loading={invite.isPending}>
            {t("settings.invite")}
          </Button>
        </Group>
      </form>
      {invite.error && <Alert color="red">{errorMessage(invite.error)}</Alert>}
      {changeRole.error && <Alert color="red">{errorMessage(changeRole.error)}</Alert>}
      {(invitations.data ?? []).length > 0 && (
        <Text size="sm" c="dimmed">
          {t("settings.pending", { emails: (invitations.data ?? []).map((i) => i.email).join(", ") })}
        </Text>
      )}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("contact.name")}</Table.Th>
            <Table.Th>{t("auth.email")}</Table.Th>
            <Table.Th>{t("settings.role")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(members.data?.items ?? []).map((m) => (
            <Table.Tr key={m.user_id}>
              <Table.Td>
                {m.name}
                {isTeamless(m) && (
                  <Badge ml="xs" size="sm" color="yellow" variant="light">
                    {t("onboarding.noTeam.badge")}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{m.email}</Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  aria-label={t("settings.roleOf", { name: m.name })}
                  data={roleOptions}
                  value={m.role}
                  allowDeselect={false}
                  onChange={(r) => r && changeRole.mutate({ userId: m.user_id, role: r as Role })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Channels() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const channels = useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")) });
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/channels", { body: { type: "webchat", name, is_active: true } })),
    onSuccess: () => {
      setName("");
      void queries.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput label={t("settings.newChat")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button type="submit" loading={create.isPending}>
            {t("settings.addChat")}
          </Button>
        </Group>
      </form>
      {create.error && <Alert color="red">{errorMessage(create.error)}</Alert>}
      <TelegramChannel />
      <WhatsAppChannel />
      <MetaMessagingChannel kind="messenger" />
      <MetaMessagingChannel kind="instagram" />
      {(channels.data ?? []).map((c) => {
        const snippet = `<script src="${location.origin}/widget.js" data-channel="${c.id}" async></script>`;
        return (
          <Stack
            key={c.id}
            component="section"
            aria-label={c.name}
            gap={4}
            p="sm"
            style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 }}
          >
            <Group justify="space-between">
              <Text fw={600}>{c.name}</Text>
              <Text size="xs" c="dimmed">
                {c.type}
              </Text>
            </Group>
            {c.type === "whatsapp" && <WhatsAppDetails channelId={c.id} />}
            {(c.type === "messenger" || c.type === "instagram") && <MetaMessagingDetails kind={c.type} channelId={c.id} />}
            {c.type === "webchat" && (
              <>
                <Text size="sm">{t("settings.embed")}</Text>
                <Code block>{snippet}</Code>
                <CopyButton value={snippet}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant="light" onClick={copy} w="fit-content">
                      {copied ? t("settings.copied") : t("settings.copy")}
                    </Button>
                  )}
                </CopyButton>
              </>
            )}
          </Stack>
        );
      })}
    </Stack>
  );
}
