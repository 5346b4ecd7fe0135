// Targets are kept in minutes; the editor shows them in minutes or hours, whichever is whole.
export type Unit = "minutes" | "hours";

export interface Amount {
  value: number | "";
  unit: Unit;
}

/** How the editor shows a stored target (empty: none). */
export function toAmount(minutes: number | null | undefined): Amount {
  if (!minutes) return { value: "", unit: "minutes" };
  return minutes % 60 === 0 ? { value: minutes / 60, unit: "hours" } : { value: minutes, unit: "minutes" };
}

/** The minutes to store (null: no target). */
export function toMinutes(amount: Amount): number | null {
  if (amount.value === "" || amount.value <= 0) return null;
  return Math.round(amount.unit === "hours" ? amount.value * 60 : amount.value);
}
