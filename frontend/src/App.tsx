// Signed in: the inbox. Signed out: the sign-in form.
import { Center, Loader } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Route, Routes } from "react-router-dom";
import { ApiError, api, unwrap } from "./api/client";
import { AcceptInvitation } from "./auth/AcceptInvitation";
import { SignIn } from "./auth/SignIn";
import { Shell } from "./components/Shell";
import { TwoFactorRequired } from "./profile/TwoFactor";

export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: () => unwrap(api.GET("/api/v1/me")),
    retry: (count, error) => !(error instanceof ApiError && error.status === 401) && count < 2,
  });
}

export function App() {
  const me = useMe();
  const { i18n } = useTranslation();
  const language = me.data?.user.language;
  useEffect(() => {
    if (language && language !== i18n.language) void i18n.changeLanguage(language);
  }, [language, i18n]);
  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (me.error || !me.data?.workspace) {
    return (
      <Routes>
        <Route path="/invite/:token" element={<AcceptInvitation />} />
        <Route path="*" element={<SignIn />} />
      </Routes>
    );
  }
  if (me.data.workspace.requires_two_factor && !me.data.user.two_factor_enabled) {
    return <TwoFactorRequired workspace={me.data.workspace.name} />;
  }
  return (
    <Routes>
      <Route path="/invite/:token" element={<AcceptInvitation />} />
      <Route path="/*" element={<Shell me={me.data} />} />
    </Routes>
  );
}
