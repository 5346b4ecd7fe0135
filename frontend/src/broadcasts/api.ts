// The broadcasts API as TanStack queries: the list, one broadcast, its recipients, the segment
// preview, and what the composer offers (channels, tags, custom fields, a channel's templates).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type Schemas, api, unwrap } from "../api/client";

export type Broadcast = Schemas["BroadcastRead"];
export type BroadcastCreate = Schemas["BroadcastCreate"];
export type BroadcastStatus = Broadcast["status"];
export type Counts = Schemas["BroadcastCounts"];
export type Segment = Schemas["BroadcastSegment"];
export type Variable = Schemas["TemplateVariable"];
export type Recipient = Schemas["BroadcastRecipientRead"];
export type RecipientFilter = "pending" | "sent" | "skipped" | "cancelled" | "failed";

export const BROADCASTS_KEY = ["broadcasts"] as const;
export const broadcastKeys = {
  list: () => [...BROADCASTS_KEY, "list"] as const,
  one: (id: string) => [...BROADCASTS_KEY, "one", id] as const,
  recipients: (id: string, status: RecipientFilter | null) => [...BROADCASTS_KEY, "recipients", id, status] as const,
  preview: (channelId: string, segment: Segment, freeText: boolean) =>
    [...BROADCASTS_KEY, "preview", channelId, JSON.stringify(segment), freeText] as const,
};

/** A broadcast whose numbers still move: sending, or done within the last hour (receipts
 * and replies keep arriving). Its views refresh while so. */
export function isMoving(b: Pick<Broadcast, "status" | "finished_at">, now: number = Date.now()): boolean {
  if (b.status === "sending") return true;
  if (b.status !== "done" || !b.finished_at) return false;
  return now - new Date(b.finished_at).getTime() < 3_600_000;
}

export function useBroadcasts() {
  return useQuery({
    queryKey: broadcastKeys.list(),
    queryFn: () => unwrap(api.GET("/api/v1/broadcasts")),
    refetchInterval: (query) => (query.state.data?.some((b) => isMoving(b)) ? 3_000 : false),
  });
}

export function useBroadcast(id: string) {
  return useQuery({
    queryKey: broadcastKeys.one(id),
    queryFn: () => unwrap(api.GET("/api/v1/broadcasts/{broadcast_id}", { params: { path: { broadcast_id: id } } })),
    refetchInterval: (query) => (query.state.data && isMoving(query.state.data) ? 2_000 : false),
  });
}

export function useRecipients(id: string, status: RecipientFilter | null, moving: boolean) {
  return useQuery({
    queryKey: broadcastKeys.recipients(id, status),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/broadcasts/{broadcast_id}/recipients", {
          params: { path: { broadcast_id: id }, query: status ? { status } : {} },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: moving ? 3_000 : false,
  });
}

export function usePreview(channelId: string | null, segment: Segment, freeText: boolean) {
  return useQuery({
    queryKey: broadcastKeys.preview(channelId ?? "", segment, freeText),
    queryFn: () =>
      unwrap(
        api.POST("/api/v1/broadcasts/preview", {
          body: { channel_id: channelId ?? "", segment, free_text: freeText },
        }),
      ),
    enabled: Boolean(channelId),
    placeholderData: keepPreviousData,
  });
}

export function useChannels() {
  return useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")) });
}

export function useTags() {
  return useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")) });
}

export function useFields() {
  return useQuery({ queryKey: ["custom-fields"], queryFn: () => unwrap(api.GET("/api/v1/custom-fields")) });
}

export function useTemplates(channelId: string | null) {
  return useQuery({
    queryKey: ["templates", channelId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/channels/{channel_id}/templates", { params: { path: { channel_id: channelId ?? "" } } })),
    enabled: Boolean(channelId),
  });
}
