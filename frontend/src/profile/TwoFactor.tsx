// Two-factor sign-in for the signed-in person: set up with a QR code, recovery codes shown once,
// turn off or get new recovery codes with a code from the app.
import { Alert, Badge, Button, Code, Group, Image, List, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";

function useQrCode(uri: string | undefined): string | null {
  const [dataUrl, setDataUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!uri) {
      setDataUrl(null);
      return;
    }
    let live = true;
    void QRCode.toDataURL(uri, { margin: 1, width: 200 }).then((url) => live && setDataUrl(url));
    return () => {
      live = false;
    };
  }, [uri]);
  return dataUrl;
}

export function TwoFactor() {
  const queries = useQueryClient();
  const status = useQuery({ queryKey: ["two-factor"], queryFn: () => unwrap(api.GET("/api/v1/me/two-factor")) });
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const refresh = () => Promise.all([queries.invalidateQueries({ queryKey: ["two-factor"] }), queries.invalidateQueries({ queryKey: ["me"] })]);
  if (recovery) {
    return (
      <Section>
        <RecoveryCodes
          codes={recovery}
          onDone={() => {
            setRecovery(null);
            void refresh();
          }}
        />
      </Section>
    );
  }
  if (!status.data) return null;
  return (
    <Section enabled={status.data.enabled}>
      {status.data.enabled ? (
        <Manage left={status.data.recovery_codes_left} onRecovery={setRecovery} onChanged={refresh} />
      ) : (
        <SetUp
          onRecovery={(codes) => {
            setRecovery(codes);
            void queries.invalidateQueries({ queryKey: ["two-factor"] });
          }}
        />
      )}
    </Section>
  );
}

function Section({ enabled, children }: { enabled?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" mt="md">
      <Group gap="xs">
        <Title order={3} size="h5">
          {t("security.twoFactor.title")}
        </Title>
        {enabled !== undefined && (
          <Badge color={enabled ? "teal" : "gray"} variant="light">
            {enabled ? t("security.twoFactor.on") : t("security.twoFactor.off")}
          </Badge>
        )}
      </Group>
      {children}
    </Stack>
  );
}

function SetUp({ onRecovery }: { onRecovery: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  const start = useMutation({ mutationFn: () => unwrap(api.POST("/api/v1/me/two-factor/setup")) });
  const enable = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/me/two-factor/enable", { body: { code } })),
    onSuccess: (data) => onRecovery(data.recovery_codes),
  });
  const qr = useQrCode(start.data?.otpauth_uri);
  if (!start.data) {
    return (
      <>
        <Text size="sm">{t("security.twoFactor.intro")}</Text>
        {start.error && <Alert color="red">{errorMessage(start.error)}</Alert>}
        <Button variant="light" w="fit-content" loading={start.isPending} onClick={() => start.mutate()}>
          {t("security.twoFactor.setUp")}
        </Button>
      </>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    enable.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="sm">
      <Text size="sm">{t("security.twoFactor.scan")}</Text>
      {qr && <Image src={qr} alt={t("security.twoFactor.qrAlt")} w={200} h={200} />}
      <Text size="sm">
        {t("security.twoFactor.key")}: <Code aria-label={t("security.twoFactor.key")} style={{ wordBreak: "break-all" }}>{start.data.secret}</Code>
      </Text>
      <TextInput label={t("security.twoFactor.code")} autoComplete="one-time-code" inputMode="numeric" required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
      {enable.error && <Alert color="red">{errorMessage(enable.error)}</Alert>}
      <Group>
        <Button type="submit" loading={enable.isPending}>
          {t("security.twoFactor.enable")}
        </Button>
        <Button variant="subtle" onClick={() => start.reset()}>
          {t("security.twoFactor.cancel")}
        </Button>
      </Group>
    </Stack>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" role="region" aria-label={t("security.twoFactor.recoveryTitle")}>
      <Text fw={600}>{t("security.twoFactor.recoveryTitle")}</Text>
      <Text size="sm">{t("security.twoFactor.recoveryHelp")}</Text>
      <List spacing={2} style={{ fontFamily: "monospace" }}>
        {codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
      <Button w="fit-content" onClick={onDone}>
        {t("security.twoFactor.saved")}
      </Button>
    </Stack>
  );
}

function Manage({ left, onRecovery, onChanged }: { left: number; onRecovery: (codes: string[]) => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  const disable = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/me/two-factor/disable", { body: { code } })),
    onSuccess: () => {
      setCode("");
      onChanged();
    },
  });
  const regenerate = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/me/two-factor/recovery-codes", { body: { code } })),
    onSuccess: (data) => {
      setCode("");
      onRecovery(data.recovery_codes);
    },
  });
  const error = disable.error ?? regenerate.error;
  return (
    <Stack gap="sm">
      <Text size="sm">{t("security.twoFactor.codesLeft", { count: left })}</Text>
      <Text size="sm">{t("security.twoFactor.disableHelp")}</Text>
      <TextInput label={t("security.twoFactor.code")} autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.currentTarget.value)} />
      {error && <Alert color="red">{errorMessage(error)}</Alert>}
      <Group>
        <Button variant="light" disabled={!code.trim()} loading={regenerate.isPending} onClick={() => regenerate.mutate()}>
          {t("security.twoFactor.regenerate")}
        </Button>
        <Button color="red" variant="light" disabled={!code.trim()} loading={disable.isPending} onClick={() => disable.mutate()}>
          {t("security.twoFactor.disable")}
        </Button>
      </Group>
    </Stack>
  );
}

/** Everything else waits while the workspace requires two-factor and this member has not set it up. */
export function TwoFactorRequired({ workspace }: { workspace: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const signOut = async () => {
    await unwrap(api.POST("/api/v1/auth/sign-out"));
    queries.clear();
    location.assign("/");
  };
  return (
    <Stack component="main" p="md" maw={520} mx="auto" mih="100vh">
      <Title order={1} size="h3">
        {t("security.twoFactor.requiredTitle")}
      </Title>
      <Text>{t("security.twoFactor.requiredHelp", { workspace })}</Text>
      <TwoFactor />
      <Button variant="subtle" w="fit-content" onClick={() => void signOut()}>
        {t("security.twoFactor.signOut")}
      </Button>
    </Stack>
  );
}
