// Downloading a file the server writes in answer to a POST (an audited export): the answer is
// saved under the name its Content-Disposition gives.
import { ApiError, csrfToken } from "../api/client";

/** `attachment; filename="contacts-2026-12-07.csv"` -> `contacts-2026-12-07.csv`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const match = disposition?.match(/filename="([^"]+)"/);
  return match?.[1] ?? fallback;
}

export async function downloadPost(url: string, body: object, fallback: string): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "X-CSRF-Token": csrfToken(), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new ApiError(response.status, error.error?.code ?? "error", error.error?.message ?? response.statusText);
  }
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileNameOf(response.headers.get("Content-Disposition"), fallback);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
