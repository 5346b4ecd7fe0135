// How a workspace's figures read at a glance: green fine, yellow watch, red act now.
export type Level = "good" | "watch" | "act" | "none";

export const LEVEL_COLOURS: Record<Level, string> = { good: "teal", watch: "yellow", act: "red", none: "gray" };

/** Worse as it grows: fine up to `watch`, to act on from `act`. */
function rising(value: number | null | undefined, watch: number, act: number): Level {
  if (value === null || value === undefined) return "none";
  if (value >= act) return "act";
  if (value >= watch) return "watch";
  return "good";
}

/** The customer waiting longest: from 5 minutes watch it, from 15 act. */
export function waitLevel(seconds: number | null | undefined): Level {
  return rising(seconds, 5 * 60, 15 * 60);
}

/** First response (median): within the usual promised 5 minutes is fine; past 15, act. */
export function firstResponseLevel(seconds: number | null | undefined): Level {
  return rising(seconds, 5 * 60 + 1, 15 * 60 + 1);
}

/** Service level: 80 % or more is fine, from 60 % watch it, below act. */
export function serviceLevel(share: number | null | undefined): Level {
  if (share === null || share === undefined) return "none";
  if (share >= 0.8) return "good";
  if (share >= 0.6) return "watch";
  return "act";
}

/** Abandonment: up to 5 % is fine, up to 15 % watch it, more act. */
export function abandonmentLevel(share: number | null | undefined): Level {
  if (share === null || share === undefined) return "none";
  if (share <= 0.05) return "good";
  if (share <= 0.15) return "watch";
  return "act";
}

/** Customers in a queue: none is fine; some with nobody online to take them is to act on. */
export function queueLevel(queued: number, online: number): Level {
  if (queued === 0) return "good";
  return online === 0 ? "act" : "watch";
}

/** A workspace's address name from its name: lower case, accents dropped, dashes between words. */
export function slugFrom(name: string): string {
  const plain = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/gi, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return plain.length >= 2 ? plain : plain ? `${plain}-ws` : "";
}
