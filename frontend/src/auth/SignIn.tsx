import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api, unwrap } from "../api/client";

// Password first; with two-factor on, the server answers a challenge and the code comes next.
export function SignIn() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // Accepting an invitation with an account that has two-factor on lands here with "?two-factor".
  const [askCode, setAskCode] = useState(() => new URLSearchParams(window.location.search).has("two-factor"));
  const signIn = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/sign-in", { body: { email, password } })),
    onSuccess: (data) => {
      if ("two_factor_required" in data) {
        setPassword("");
        setAskCode(true);
        return;
      }
      void queries.invalidateQueries({ queryKey: ["me"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  if (askCode) {
    return (
      <Frame>
        <CodeStep
          onExpired={() => {
            signIn.reset();
            setAskCode(false);
          }}
        />
      </Frame>
    );
  }
  const error = signIn.error;
  return (
    <Frame>
      <Stack component="form" onSubmit={submit}>
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
    </Frame>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <Center component="main" mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} maw="100%">
        {children}
      </Paper>
    </Center>
  );
}

function CodeStep({ onExpired }: { onExpired: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [code, setCode] = useState("");
  const verify = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/sign-in/code", { body: { code } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["me"] }),
  });
  const error = verify.error;
  const expired = error instanceof ApiError && error.status === 401;
  const message = !error
    ? null
    : error instanceof ApiError && error.status === 429
      ? error.message
      : expired
        ? t("security.signIn.expired")
        : t("security.signIn.wrongCode");
  return (
    <Stack
      component="form"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        verify.mutate();
      }}
    >
      <Title order={1} size="h3">
        {t("security.signIn.codeTitle")}
      </Title>
      <Text size="sm">{t("security.signIn.codeHelp")}</Text>
      {message && (
        <Alert color="red" role="alert">
          {message}
        </Alert>
      )}
      <TextInput
        label={t("security.signIn.code")}
        autoComplete="one-time-code"
        autoFocus
        required
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
      />
      <Button type="submit" loading={verify.isPending}>
        {t("security.signIn.verify")}
      </Button>
      <Anchor component="button" type="button" size="sm" onClick={onExpired}>
        {t("security.signIn.back")}
      </Anchor>
    </Stack>
  );
}
