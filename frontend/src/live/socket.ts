// The tab's socket: resumes from the last event applied, reconnects with a backoff, and hands
// every frame to its listener. One per tab, owned by `LiveProvider`.
import { type Frame, nextCursor } from "./frames";

export function backoff(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(30_000, 500 * 2 ** attempt) * (0.8 + 0.4 * random()));
}

export interface SocketListener {
  frame: (frame: Frame) => void;
  state: (online: boolean) => void;
}

export class AgentSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  /** The highest event id applied: the next connection resumes after it. */
  private cursor = 0;

  constructor(
    private readonly workspaceId: string,
    private readonly listener: SocketListener,
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
    this.forget();
  }

  send(frame: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private open(): void {
    const url = new URL("/api/v1/realtime", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("workspace_id", this.workspaceId);
    if (this.cursor > 0) url.searchParams.set("cursor", String(this.cursor));
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.listener.state(true);
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      const frame = JSON.parse(event.data) as Frame;
      this.cursor = nextCursor(this.cursor, frame);
      this.listener.frame(frame);
    };
    ws.onclose = (event) => this.closed(event.code);
  }

  private closed(code: number): void {
    this.ws = null;
    this.listener.state(false);
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
}
