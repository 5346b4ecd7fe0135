// The import wizard's pure parts: the targets a column may fill, and the progress of a run.
import type { Schemas } from "../api/client";

export type ContactImport = Schemas["ContactImportRead"];
export const BASE_TARGETS = ["name", "phone", "email", "language", "lifecycle_stage", "tags"] as const;

/** Every target a column may fill: the base ones, then one per custom field. */
export function targetOptions(fieldKeys: string[]): string[] {
  return [...BASE_TARGETS, ...fieldKeys.map((key) => `field:${key}`)];
}

/** The mapping with `column` now filling `target` (null: left out); a target fills one column. */
export function remap(mapping: Record<string, string>, column: string, target: string | null): Record<string, string> {
  const next: Record<string, string> = {};
  for (const [c, t] of Object.entries(mapping)) {
    if (c !== column && t !== target) next[c] = t;
  }
  if (target) next[column] = target;
  return next;
}

/** A mapping can start when it fills a name, a phone or an email. */
export function canStart(mapping: Record<string, string>): boolean {
  return Object.values(mapping).some((t) => t === "name" || t === "phone" || t === "email");
}

/** 0 to 100: rows written of the file's rows. */
export function importPercent(item: Pick<ContactImport, "rows_done" | "rows_total" | "status">): number {
  if (item.status === "done") return 100;
  if (!item.rows_total) return 0;
  return Math.min(100, Math.round((item.rows_done / item.rows_total) * 100));
}

export function isRunning(item: Pick<ContactImport, "status"> | undefined): boolean {
  return item?.status === "queued" || item?.status === "running";
}
