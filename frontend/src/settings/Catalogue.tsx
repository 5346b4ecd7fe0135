// Settings lists: teams, tags and outcomes, canned responses, API tokens.
import { Alert, Badge, Button, Checkbox, Code, Group, Select, Stack, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";

const VARIABLES = ["contact.name", "contact.first_name", "agent.name", "workspace.name"].map((v) => `{{${v}}}`).join(", ");

export function Teams() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/teams", { body: { name, description: "", user_ids: [] } })),
    onSuccess: () => {
      setName("");
      void queries.invalidateQueries({ queryKey: ["teams"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <Group component="form" onSubmit={submit} align="flex-end">
        <TextInput label={t("settings.teamName")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button type="submit">{t("settings.addChat")}</Button>
      </Group>
      {create.error && <Alert color="red">{errorMessage(create.error)}</Alert>}
      <Table striped>
        <Table.Tbody>
          {(teams.data ?? []).map((team) => (
            <Table.Tr key={team.id}>
              <Table.Td fw={600}>{team.name}</Table.Td>
              <Table.Td>{team.members.map((m) => m.name).join(", ")}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

export function Tags() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")) });
  const [name, setName] = useState("");
  const [outcome, setOutcome] = useState(false);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/tags", { body: { name, is_outcome: outcome, color: "gray" } })),
    onSuccess: () => {
      setName("");
      void queries.invalidateQueries({ queryKey: ["tags"] });
      void queries.invalidateQueries({ queryKey: ["outcomes"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <Group component="form" onSubmit={submit} align="flex-end">
        <TextInput label={t("settings.tagName")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Checkbox label={t("settings.isOutcome")} checked={outcome} onChange={(e) => setOutcome(e.currentTarget.checked)} mb={8} />
        <Button type="submit">{t("settings.addChat")}</Button>
      </Group>
      {create.error && <Alert color="red">{errorMessage(create.error)}</Alert>}
      <Group gap="xs">
        {(tags.data ?? []).map((tag) => (
          <Badge key={tag.id} variant={tag.is_outcome ? "filled" : "light"}>
            {tag.name}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}

export function Canned() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const canned = useQuery({ queryKey: ["canned", ""], queryFn: () => unwrap(api.GET("/api/v1/canned-responses")) });
  const [shortcut, setShortcut] = useState("");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/canned-responses", { body: { shortcut, title, body } })),
    onSuccess: () => {
      setShortcut("");
      setTitle("");
      setBody("");
      void queries.invalidateQueries({ queryKey: ["canned"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <Stack component="form" onSubmit={submit} gap="xs" maw={520}>
        <Group grow>
          <TextInput label={t("settings.shortcut")} required value={shortcut} onChange={(e) => setShortcut(e.currentTarget.value)} />
          <TextInput label={t("settings.cannedTitle")} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        </Group>
        <Textarea label={t("settings.cannedBody")} description={`${t("settings.variables")} ${VARIABLES}`} required autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        <Button type="submit" w="fit-content">
          {t("settings.addChat")}
        </Button>
      </Stack>
      {create.error && <Alert color="red">{errorMessage(create.error)}</Alert>}
      <Table striped>
        <Table.Tbody>
          {(canned.data ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Code>/{c.shortcut}</Code>
              </Table.Td>
              <Table.Td>{c.title}</Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {c.body}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

type TokenRole = "manager" | "agent" | "viewer";

export function Tokens() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const tokens = useQuery({ queryKey: ["tokens"], queryFn: () => unwrap(api.GET("/api/v1/api-tokens")) });
  const [name, setName] = useState("");
  const [role, setRole] = useState<TokenRole>("agent");
  const [shown, setShown] = useState("");
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/api-tokens", { body: { name, role } })),
    onSuccess: (created) => {
      setName("");
      setShown(created.token);
      void queries.invalidateQueries({ queryKey: ["tokens"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/api-tokens/{token_id}", { params: { path: { token_id: id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["tokens"] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <Group component="form" onSubmit={submit} align="flex-end">
        <TextInput label={t("settings.tokenName")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select
          label={t("settings.role")}
          data={(["manager", "agent", "viewer"] as TokenRole[]).map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={(r) => setRole((r as TokenRole) ?? "agent")}
          allowDeselect={false}
        />
        <Button type="submit">{t("settings.addChat")}</Button>
      </Group>
      {shown && (
        <Alert color="teal" title={t("settings.tokenOnce")}>
          <Code>{shown}</Code>
        </Alert>
      )}
      {create.error && <Alert color="red">{errorMessage(create.error)}</Alert>}
      <Table striped>
        <Table.Tbody>
          {(tokens.data ?? []).map((token) => (
            <Table.Tr key={token.id}>
              <Table.Td>{token.name}</Table.Td>
              <Table.Td>
                <Code>{token.prefix}…</Code>
              </Table.Td>
              <Table.Td>{t(`roles.${token.role}`)}</Table.Td>
              <Table.Td>
                <Button size="xs" color="red" variant="subtle" onClick={() => revoke.mutate(token.id)}>
                  {t("settings.revoke")}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
