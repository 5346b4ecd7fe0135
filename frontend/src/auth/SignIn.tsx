import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api, unwrap } from "../api/client";

export function SignIn() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/sign-in", { body: { email, password } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["me"] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  const error = signIn.error;
  return (
    <Center component="main" mih="100vh" bg="gray.0" p="md">
      <Paper component="form" onSubmit={submit} withBorder shadow="sm" p="xl" w={380} maw="100%">
        <Stack>
          <Title order={1} size="h3">
            {t("auth.title")}
          </Title>
          {error && (
            <Alert color="red" role="alert">
              {error instanceof ApiError && error.status === 429 ? error.message : t("auth.failed")}
            </Alert>
          )}
          <TextInput label={t("auth.email")} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label={t("auth.password")} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={signIn.isPending}>
            {t("auth.submit")}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
