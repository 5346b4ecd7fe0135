// The typed API client, generated from the server's OpenAPI schema (src/api/schema.d.ts).
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { noteServerDate } from "./serverClock";

export type Schemas = components["schemas"];
export type Conversation = Schemas["ConversationRead"];
export type Message = Schemas["MessageRead"];
export type Me = Schemas["MeRead"];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)frontdesk_csrf=([^;]+)/);
  return match?.[1] ? decodeURIComponent(match[1]) : "";
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!["GET", "HEAD", "OPTIONS"].includes(request.method)) {
      request.headers.set("X-CSRF-Token", csrfToken());
    }
    return request;
  },
};

const sentAt = new WeakMap<Request, number>();
const clock: Middleware = {
  onRequest({ request }) {
    sentAt.set(request, Date.now());
    return request;
  },
  onResponse({ request, response }) {
    const sent = sentAt.get(request);
    if (sent !== undefined) noteServerDate(response.headers.get("Date"), sent, Date.now());
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf, clock);

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { field?: string } };
}

/** The data of a call, or an ApiError with the server's code, message and field. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as ErrorBody;
  throw new ApiError(
    response.status,
    body.error?.code ?? "error",
    body.error?.message ?? response.statusText,
    body.error?.details?.field,
  );
}

/** What to show for a failed call: the server's own message when there is one. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}
