// Whether the signed-in member is a client viewer in the current workspace: limited to one
// client's teams and channels, it reads the inbox and reports only (no members, no settings).
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";

export function useClientAccess(): boolean {
  const me = useQuery({ queryKey: ["me"], queryFn: () => unwrap(api.GET("/api/v1/me")) });
  return Boolean(me.data?.workspace?.client_access);
}
