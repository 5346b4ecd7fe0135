// The workspace's members by id: names for typing, viewing and mentions.
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";

export function useMembers() {
  const members = useQuery({
    queryKey: ["members"],
    queryFn: () => unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });
  const items = members.data?.items ?? [];
  const names = Object.fromEntries(items.map((m) => [m.user_id, m.name]));
  return { items, names };
}
