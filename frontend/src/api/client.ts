// The typed API client, generated from the server's OpenAPI schema (src/api/schema.d.ts).
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

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

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

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
