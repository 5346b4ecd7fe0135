// The live connection: reconnects with backoff and resumes from the last event it applied.
import { backoff } from "./store";

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
}

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly hooks: SocketHooks) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
  }

  send(frame: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private open(): void {
    const ws = new WebSocket(this.hooks.url(this.hooks.cursor()));
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.hooks.onState(true);
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      try {
        this.hooks.onFrame(JSON.parse(event.data) as Frame);
      } catch {
        // a frame we cannot read is skipped; catch-up repairs anything missed
      }
    };
    ws.onclose = () => {
      this.hooks.onState(false);
      if (this.stopped) return;
      this.timer = setTimeout(() => this.open(), backoff(this.attempt++));
    };
  }
}
