// Turning the audit log's filters into query values, and its details into one line.

/** A local calendar day ("2026-12-06") as the instant it starts, plus `days`. */
export function dayStart(day: string, days = 0): string | undefined {
  if (!day) return undefined;
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  return new Date(y, m - 1, d + days).toISOString();
}

export function detailText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && !(typeof v === "object" && Object.keys(v as object).length === 0))
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
}
