// The workspace's members by id: names for typing, viewing and mentions.
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useClientAccess } from "./useClientAccess";

export function useMembers() {
  // A client viewer is not shown the members list (names come with each conversation).
  const client = useClientAccess();
  const members = useQuery({
    queryKey: ["members"],
    queryFn: () => unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
    enabled: !client,
  });
  const items = members.data?.items ?? [];
  const names = Object.fromEntries(items.map((m) => [m.user_id, m.name]));
  return { items, names };
}
