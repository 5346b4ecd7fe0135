// One socket per tab: resumes from the last event applied, refreshes lists as events arrive.
import type { QueryClient } from "@tanstack/react-query";
import type { Frame } from "./reducer";
import { publishFrame } from "./frames";
import { liveStore } from "./store";

const LIST_EVENTS = /^(conversation\.|message\.created|contact\.updated)/;

export function backoff(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(30_000, 500 * 2 ** attempt) * (0.8 + 0.4 * random()));
}

export class AgentSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private refresh: ReturnType<typeof setTimeout> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  online = false;
  onState: (online: boolean) => void = () => {};

  onNotice: (frame: Frame) => void = () => {};

  constructor(
    private readonly queries: QueryClient,
    private readonly workspaceId: string,
  ) {}

  start(): void {
    this.stopped = false;
    addEventListener("online", this.reconnectNow);
    addEventListener("offline", this.letGo);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener("online", this.reconnectNow);
    removeEventListener("offline", this.letGo);
    if (this.retry) clearTimeout(this.retry);
    this.ws?.close();
  }

  send(frame: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private open(): void {
    const url = new URL("/api/v1/realtime", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("workspace_id", this.workspaceId);
    const cursor = liveStore.snapshot.cursor;
    if (cursor > 0) url.searchParams.set("cursor", String(cursor));
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setOnline(true);
    };
    ws.onmessage = (event: MessageEvent<string>) => this.onFrame(JSON.parse(event.data) as Frame);
    ws.onclose = (event) => this.closed(event.code);
  }

  private closed(code: number): void {
    this.ws = null;
    this.setOnline(false);
    if (this.stopped || code === 4401) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.stopped) this.open();
    }, backoff(this.attempt++));
  }

  /** The device went offline: a dead socket can take minutes to notice, so let it go now. */
  private letGo = (): void => {
    if (this.forget()) this.closed(1006);
  };

  /** The network is back: connect at once rather than at the end of the backoff. */
  private reconnectNow = (): void => {
    if (this.stopped || this.ws?.readyState === WebSocket.OPEN) return;
    this.forget();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.attempt = 0;
    this.open();
  };

  private forget(): boolean {
    const ws = this.ws;
    if (!ws) return false;
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.close();
    this.ws = null;
    return true;
  }

  private setOnline(online: boolean): void {
    this.online = online;
    this.onState(online);
  }

  private onFrame(frame: Frame): void {
    if (frame.type === "resync") {
      void this.queries.invalidateQueries();
    }
    liveStore.apply(frame);
    publishFrame(frame);
    this.onNotice(frame);
    if (typeof frame.id === "number" && LIST_EVENTS.test(frame.type)) this.refreshLists();
    // The bell: a notification kept or read (here or in another tab) shows at once.
    if (typeof frame.id === "number" && frame.type.startsWith("notification.")) void this.queries.invalidateQueries({ queryKey: ["notifications"] });
    const contactId = frame.type === "contact.updated" ? frame.data?.["id"] : undefined;
    if (typeof contactId === "string") void this.queries.invalidateQueries({ queryKey: ["contact", contactId] });
  }

  /** Lists and counts follow events, a beat later so a burst makes one request. */
  private refreshLists(): void {
    if (this.refresh) return;
    this.refresh = setTimeout(() => {
      this.refresh = null;
      void this.queries.invalidateQueries({ queryKey: ["conversations"] });
      void this.queries.invalidateQueries({ queryKey: ["counts"] });
    }, 250);
  }
}
