// The live connection: reconnects with backoff and resumes from the last event it applied.
import { backoff } from "./retry";

export interface Frame {
  type: string;
  id?: number;
  cursor?: number;
  data?: Record<string, unknown>;
}

export interface SocketHooks {
  url: (cursor: number) => string;
  cursor: () => number;
  onFrame: (frame: Frame) => void;
  onState: (online: boolean) => void;
  /** The server refused the socket (policy close): the token is stale. */
  onRefused: () => void;
}

// The server pings an idle socket every 25 s; silence for longer means a dead connection.
const SILENCE_MS = 65_000;
const CLOSE_POLICY = 1008;

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly wake = () => {
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED) this.reconnectNow();
  };

  constructor(private readonly hooks: SocketHooks) {}

  start(): void {
    this.stopped = false;
    window.addEventListener("online", this.wake);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.wake);
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.ws?.close();
  }

  send(frame: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private reconnectNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.attempt = 0;
    this.open();
  }

  private alive(ws: WebSocket): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => ws.close(), SILENCE_MS);
  }

  private open(): void {
    const ws = new WebSocket(this.hooks.url(this.hooks.cursor()));
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.alive(ws);
      this.hooks.onState(true);
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      this.alive(ws);
      try {
        this.hooks.onFrame(JSON.parse(event.data) as Frame);
      } catch {
        // a frame we cannot read is skipped; catch-up repairs anything missed
      }
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.watchdog) clearTimeout(this.watchdog);
      if (ws !== this.ws || this.stopped) return;
      this.hooks.onState(false);
      if (event.code === CLOSE_POLICY) {
        this.stopped = true;
        this.hooks.onRefused();
        return;
      }
      this.timer = setTimeout(() => this.open(), backoff(this.attempt++));
    };
  }
}
