// The signed-in person: picture (uploaded), name, language, password, how they are notified, where they are signed in.
import { Alert, Button, PasswordInput, Select, Stack, Switch, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Me, api, errorMessage, unwrap } from "../api/client";
import { LANGUAGES, type LanguageCode } from "../i18n";
import { soundEnabled, setSoundEnabled } from "../live/notify";
import { AvatarUpload } from "./AvatarUpload";
import { Sessions } from "./Sessions";
import { TwoFactor } from "./TwoFactor";

export function Profile({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const [name, setName] = useState(me.user.name);
  const [language, setLanguage] = useState<LanguageCode>((me.user.language as LanguageCode) ?? "en");
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [sound, setSound] = useState(soundEnabled());
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH("/api/v1/me", { body: { name, language } })),
    onSuccess: async () => {
      await i18n.changeLanguage(language);
      await queries.invalidateQueries({ queryKey: ["me"] });
    },
  });
  const password = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/me/password", { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent("");
      setNext("");
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const changePassword = (e: FormEvent) => {
    e.preventDefault();
    password.mutate();
  };
  return (
    <Stack p="md" maw={520} style={{ flex: 1, overflowY: "auto" }}>
      <Title order={2} size="h3">
        {t("profile.title")}
      </Title>
      <AvatarUpload name={me.user.name} current={me.user.avatar_url} />
      <Stack component="form" onSubmit={submit} gap="sm">
        <TextInput label={t("contact.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select
          label={t("nav.language")}
          data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
          value={language}
          onChange={(v) => setLanguage((v as LanguageCode) ?? "en")}
          allowDeselect={false}
        />
        {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
        {save.isSuccess && <Alert color="teal">{t("profile.saved")}</Alert>}
        <Button type="submit" w="fit-content" loading={save.isPending}>
          {t("profile.save")}
        </Button>
      </Stack>
      <Title order={3} size="h5" mt="md">
        {t("profile.notifications")}
      </Title>
      <Switch
        label={t("profile.sound")}
        checked={sound}
        onChange={(e) => {
          setSound(e.currentTarget.checked);
          setSoundEnabled(e.currentTarget.checked);
        }}
      />
      {typeof Notification !== "undefined" && Notification.permission === "default" && (
        <Button variant="light" w="fit-content" onClick={() => void Notification.requestPermission()}>
          {t("notices.enable")}
        </Button>
      )}
      <Title order={3} size="h5" mt="md">
        {t("profile.password")}
      </Title>
      <Stack component="form" onSubmit={changePassword} gap="sm">
        <PasswordInput label={t("profile.currentPassword")} required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
        <PasswordInput label={t("profile.newPassword")} description={t("invite.passwordRule")} required value={next} onChange={(e) => setNext(e.currentTarget.value)} />
        {password.error && <Alert color="red">{errorMessage(password.error)}</Alert>}
        {password.isSuccess && <Alert color="teal">{t("profile.passwordChanged")}</Alert>}
        <Button type="submit" w="fit-content" loading={password.isPending}>
          {t("profile.changePassword")}
        </Button>
      </Stack>
      <TwoFactor />
      <Sessions />
    </Stack>
  );
}
