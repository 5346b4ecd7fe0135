// Settings: the workspace's API tokens.
import { Alert, Button, Code, Group, Select, Stack, Table, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";

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
