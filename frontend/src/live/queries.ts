// The queries of one conversation that frames patch in place: the conversation and its history.
// Their answers never take a copy back to an older version than a frame already brought.
import { type Conversation, type Schemas, api, unwrap } from "../api/client";
import { keepNewer, keepNewerMessages } from "./cache";

export type MessagePage = Schemas["Page_MessageRead_"];

export function conversationQuery(id: string) {
  return {
    queryKey: ["conversation", id] as const,
    queryFn: (): Promise<Conversation> =>
      unwrap(api.GET("/api/v1/conversations/{conversation_id}", { params: { path: { conversation_id: id } } })),
    structuralSharing: keepNewer,
  };
}

export function messagesQuery(id: string) {
  return {
    queryKey: ["messages", id] as const,
    queryFn: (): Promise<MessagePage> =>
      unwrap(api.GET("/api/v1/conversations/{conversation_id}/messages", { params: { path: { conversation_id: id }, query: { limit: 100 } } })),
    structuralSharing: keepNewerMessages,
  };
}
