import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import type { ConversationSla } from "./countdown";
import { rememberSla } from "./live";

const sla: ConversationSla = { policy_id: "p", status: "at_risk", due_at: "2026-01-05T09:10:00Z", at_risk_at: "2026-01-05T09:08:00Z", target: "first_response", targets: [] };
const conversation = (id: string) => ({ id, sla: null }) as unknown as Conversation;

describe("rememberSla", () => {
  it("patches the open conversation and the inbox's pages, no other conversation", () => {
    const queries = new QueryClient();
    queries.setQueryData(["conversation", "a"], conversation("a"));
    queries.setQueryData(["conversations", "all", ["open"], {}], { pages: [{ items: [conversation("a"), conversation("b")] }], pageParams: [undefined] });
    rememberSla(queries, "a", sla);
    expect(queries.getQueryData<Conversation>(["conversation", "a"])?.sla).toEqual(sla);
    const pages = queries.getQueryData<{ pages: { items: Conversation[] }[] }>(["conversations", "all", ["open"], {}]);
    expect(pages?.pages[0]?.items.map((c) => c.sla)).toEqual([sla, null]);
  });
});
