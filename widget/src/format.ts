// Small pure formatting helpers: day separators, times and avatar initials.

/** "Today", "Yesterday" or a localised date, for the separators between days. */
export function dayLabel(iso: string, now: Date, lang: string, today: string, yesterday: string): string {
  const day = new Date(iso);
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const diff = Math.round((startOf(now) - startOf(day)) / 86_400_000);
  if (diff === 0) return today;
  if (diff === 1) return yesterday;
  return new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric" }).format(day);
}

/** The hour and minute of a message, the local way. */
export function timeLabel(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

/** Up to two initials for an avatar without a picture: "Ana Souza" -> "AS". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? "";
  const last = words.length > 1 ? (words[words.length - 1] ?? "") : "";
  return (Array.from(first)[0] ?? "").concat(Array.from(last)[0] ?? "").toUpperCase() || "?";
}

/**
 * The agent's picture as the widget loads it: the server names it by a path on its own host, so
 * it is resolved against the Frontdesk base; anything on another host is never loaded.
 */
export function pictureUrl(url: string | null | undefined, base: string, page: string): string | null {
  if (!url) return null;
  try {
    const home = new URL(base || page, page);
    const resolved = new URL(url, home);
    return resolved.origin === home.origin && resolved.pathname.startsWith("/api/widget/v1/") ? resolved.href : null;
  } catch {
    return null;
  }
}
