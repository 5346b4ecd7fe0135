// The visitor's side of the Frontdesk API.
import type { Attachment, ServerMessage } from "./store";

export interface Availability {
  open_now: boolean;
  next_opening: string | null;
  expected_wait_seconds: number | null;
}

export interface WidgetConfig {
  channel_id: string;
  name: string;
  greeting: Record<string, string>;
  primary_color: string;
  position: "right" | "left";
  pre_chat: { enabled: boolean; require_email: boolean };
  identity_required: boolean;
  max_upload_bytes: number;
  availability: Availability;
}

export interface Session {
  visitor_token: string;
  contact_id: string;
  name: string;
  conversation_id: string | null;
  cursor: number;
}

export interface History {
  items: ServerMessage[];
  next_cursor: string | null;
  agent: { name: string; avatar_url: string | null } | null;
  conversation_status: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

export class VisitorApi {
  token: string | null = null;

  constructor(
    readonly base: string,
    readonly channelId: string,
  ) {}

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set("X-Visitor-Token", this.token);
    if (init.body && typeof init.body === "string") headers.set("Content-Type", "application/json");
    let response: Response;
    try {
      response = await fetch(`${this.base}/api/widget/v1${path}`, { ...init, headers });
    } catch (error) {
      throw new ApiError(0, "network", error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) {
      let code = "error";
      let message = response.statusText;
      try {
        const body = (await response.json()) as { error?: { code?: string; message?: string } };
        code = body.error?.code ?? code;
        message = body.error?.message ?? message;
      } catch {
        // not JSON: keep the status text
      }
      const retry = Number(response.headers.get("Retry-After"));
      throw new ApiError(response.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : null);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  config(): Promise<WidgetConfig> {
    return this.call(`/channels/${this.channelId}/config`);
  }

  async startSession(body: Record<string, unknown>): Promise<Session> {
    const session = await this.call<Session>(`/channels/${this.channelId}/sessions`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    this.token = session.visitor_token;
    return session;
  }

  history(cursor?: string): Promise<History> {
    const query = cursor ? `?limit=50&cursor=${encodeURIComponent(cursor)}` : "?limit=50";
    return this.call(`/messages${query}`);
  }

  send(body: string, clientMessageId: string, attachmentIds: string[]): Promise<ServerMessage> {
    return this.call("/messages", {
      method: "POST",
      body: JSON.stringify({ body, client_message_id: clientMessageId, attachment_ids: attachmentIds }),
    });
  }

  read(messageId: string): Promise<void> {
    return this.call("/read", { method: "POST", body: JSON.stringify({ message_id: messageId }) });
  }

  /** Upload one file; XMLHttpRequest rather than fetch because only it reports upload progress. */
  upload(file: File, onProgress: (fraction: number) => void): Promise<Attachment> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `${this.base}/api/widget/v1/attachments`);
      if (this.token) xhr.setRequestHeader("X-Visitor-Token", this.token);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => reject(new ApiError(0, "network", xhr.statusText));
      xhr.onload = () => {
        let body: { error?: { code?: string; message?: string } } & Partial<Attachment> = {};
        try {
          body = JSON.parse(xhr.responseText) as typeof body;
        } catch {
          // not JSON: the status says enough
        }
        if (xhr.status >= 200 && xhr.status < 300 && body.id) resolve(body as Attachment);
        else reject(new ApiError(xhr.status, body.error?.code ?? "error", body.error?.message ?? xhr.statusText));
      };
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    });
  }

  socketUrl(cursor: number): string {
    const url = new URL(`${this.base}/api/widget/v1/socket`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("token", this.token ?? "");
    url.searchParams.set("cursor", String(cursor));
    return url.toString();
  }
}
