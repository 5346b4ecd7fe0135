// The page an invitation link opens: set a password (or use yours) and join the workspace.
// It follows the browser's language or the one picked here, and a new account keeps it.
import { Alert, Button, Center, Group, Paper, PasswordInput, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { LANGUAGES, type LanguageCode } from "../i18n";

export function AcceptInvitation() {
  const { token = "" } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const path = { params: { path: { token } } };
  const preview = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => unwrap(api.GET("/api/v1/auth/invitations/{token}", path)),
    retry: false,
  });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const accept = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/auth/invitations/{token}/accept", { ...path, body: { name: name || null, password, language: i18n.language as LanguageCode } })),
    onSuccess: async (data) => {
      await queries.invalidateQueries({ queryKey: ["me"] });
      // An existing account with two-factor on is asked for its code before any session opens.
      navigate("two_factor_required" in data ? "/?two-factor" : "/");
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };
  const invitation = preview.data;
  return (
    <Center component="main" mih="100vh" bg="gray.0" p="md">
      <Paper component="form" onSubmit={submit} withBorder shadow="sm" p="xl" w={420} maw="100%">
        <Stack>
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Title order={1} size="h3">
              {t("invite.title")}
            </Title>
            <Select
              aria-label={t("onboarding.language")}
              size="xs"
              w={160}
              data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
              value={i18n.language}
              onChange={(code) => code && void i18n.changeLanguage(code)}
              allowDeselect={false}
            />
          </Group>
          {preview.isPending && <Text>{t("app.loading")}</Text>}
          {preview.error && (
            <Alert color="red" role="alert">
              {t("invite.invalid")}
            </Alert>
          )}
          {invitation && (
            <>
              <Text>{t("invite.intro", { workspace: invitation.workspace_name, role: t(`roles.${invitation.role}`) })}</Text>
              <TextInput label={t("auth.email")} value={invitation.email} readOnly />
              {!invitation.has_account && (
                <TextInput label={t("invite.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
              )}
              <PasswordInput
                label={invitation.has_account ? t("invite.yourPassword") : t("invite.newPassword")}
                description={invitation.has_account ? undefined : t("invite.passwordRule")}
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              {accept.error && (
                <Alert color="red" role="alert">
                  {errorMessage(accept.error)}
                </Alert>
              )}
              <Button type="submit" loading={accept.isPending}>
                {t("invite.join")}
              </Button>
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
