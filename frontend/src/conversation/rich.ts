// Pure helpers for channel conversations: the customer-service window's countdown, template
// variables, and reading a message's kind-specific payload.

const PLACEHOLDER = /{{\s*(\d+)\s*}}/g;

export type WindowLeft =
  | { state: "none" }
  | { state: "closed" }
  | { state: "open"; hours: number; minutes: number; urgent: boolean };

/** How long the window stays open at `now`; minutes round up so "0 min" never shows while open. */
export function windowLeft(expiresAt: string | null | undefined, now: number): WindowLeft {
  if (!expiresAt) return { state: "none" };
  const ms = new Date(expiresAt).getTime() - now;
  if (!Number.isFinite(ms) || ms <= 0) return { state: "closed" };
  const total = Math.ceil(ms / 60_000);
  return { state: "open", hours: Math.floor(total / 60), minutes: total % 60, urgent: ms < 3_600_000 };
}

/** "3 h 12 min" in the language's own units (Intl), or just minutes under an hour. */
export function formatDuration(hours: number, minutes: number, language: string): string {
  const unit = (value: number, name: "day" | "hour" | "minute") =>
    new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
  // Past a day (Messenger's and Instagram's 7-day human-agent window): days and hours.
  if (hours >= 24) {
    const days = Math.floor(hours / 24);
    return hours % 24 === 0 ? unit(days, "day") : `${unit(days, "day")} ${unit(hours % 24, "hour")}`;
  }
  if (hours === 0) return unit(minutes, "minute");
  if (minutes === 0) return unit(hours, "hour");
  return `${unit(hours, "hour")} ${unit(minutes, "minute")}`;
}

/** How many parameters a template body needs: the highest {{n}} it uses. */
export function placeholderCount(body: string): number {
  let highest = 0;
  for (const match of body.matchAll(PLACEHOLDER)) highest = Math.max(highest, Number(match[1]));
  return highest;
}

/** The body with {{n}} replaced by the n-th value; an empty or missing value keeps {{n}}. */
export function fillTemplate(body: string, values: readonly string[]): string {
  return body.replace(PLACEHOLDER, (whole, n: string) => {
    const value = values[Number(n) - 1];
    return value && value.trim() ? value : whole;
  });
}

/** Whether every parameter the body needs has a non-blank value. */
export function templateReady(body: string, values: readonly string[]): boolean {
  const count = placeholderCount(body);
  return Array.from({ length: count }, (_, i) => values[i] ?? "").every((v) => v.trim() !== "");
}

/** Templates whose name or body contain every word of the query (case- and accent-insensitive). */
export function searchTemplates<T extends { name: string; body: string }>(templates: readonly T[], query: string): T[] {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  return templates.filter((t) => {
    const text = fold(`${t.name.replace(/_/g, " ")} ${t.body}`);
    return words.every((w) => text.includes(w));
  });
}

/** A map link for a shared location (OpenStreetMap, or the provider's own link when given). */
export function mapUrl(location: { latitude: number; longitude: number; url?: string | null }): string {
  if (location.url && /^https?:\/\//.test(location.url)) return location.url;
  const lat = location.latitude.toFixed(6);
  const lon = location.longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

export type Location = { latitude: number; longitude: number; name?: string; address?: string; url?: string };
export type SharedContact = { name: string; phones: string[]; emails: string[] };
export type Choice = { id: string; title: string; description?: string };
export type PendingMedia = { kind: string; status: string; name?: string };
export type InteractiveOut = {
  type: "buttons" | "list";
  buttons?: { id: string; title: string }[];
  button_label?: string;
  sections?: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
};

const record = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

function firstErrorTitle(details: unknown): string | undefined {
  const errors = record(details)?.["errors"];
  const first = Array.isArray(errors) ? record(errors[0]) : undefined;
  return first ? (text(first["title"]) ?? text(first["message"])) : undefined;
}

/** The parts of a message's payload the bubble shows, checked (the payload is free-form JSON). */
export function readPayload(payload: Record<string, unknown> | null | undefined) {
  const p = payload ?? {};
  const loc = record(p["location"]);
  const location: Location | undefined =
    loc && typeof loc["latitude"] === "number" && typeof loc["longitude"] === "number"
      ? { latitude: loc["latitude"], longitude: loc["longitude"], name: text(loc["name"]), address: text(loc["address"]), url: text(loc["url"]) }
      : undefined;
  const contacts: SharedContact[] = (Array.isArray(p["contacts"]) ? p["contacts"] : [])
    .map(record)
    .filter((c): c is Record<string, unknown> => Boolean(c))
    .map((c) => ({ name: text(c["name"]) ?? "", phones: texts(c["phones"]), emails: texts(c["emails"]) }));
  const ch = record(p["choice"]);
  const choice: Choice | undefined = ch && text(ch["title"]) ? { id: String(ch["id"] ?? ""), title: String(ch["title"]), description: text(ch["description"]) } : undefined;
  const media: PendingMedia[] = (Array.isArray(p["media"]) ? p["media"] : [])
    .map(record)
    .filter((m): m is Record<string, unknown> => Boolean(m))
    .map((m) => ({ kind: text(m["kind"]) ?? "file", status: text(m["status"]) ?? "pending", name: text(m["name"]) }));
  const tpl = record(p["template"]);
  const template = tpl && text(tpl["name"]) ? { name: String(tpl["name"]), language: text(tpl["language"]) } : undefined;
  const inter = record(p["interactive"]);
  const interactive = inter && (inter["type"] === "buttons" || inter["type"] === "list") ? (inter as InteractiveOut) : undefined;
  return {
    location,
    contacts,
    choice,
    media,
    template,
    interactive,
    providerType: text(p["provider_type"]),
    errorTitle: firstErrorTitle(p["details"]),
    originalBody: text(p["original_body"]),
  };
}

type Resendable = {
  body: string;
  attachments: Record<string, unknown>[];
  payload?: Record<string, unknown> | null;
  reply_to_message_id?: string | null;
};

/** What sending a failed message again posts: the same template, files, text and quote. */
export function retryBody(m: Resendable, clientMessageId: string) {
  const tpl = m.payload ? (m.payload["template"] as Record<string, unknown> | undefined) : undefined;
  const reply_to_message_id = m.reply_to_message_id ?? null;
  if (tpl && typeof tpl["id"] === "string") {
    const parameters = Array.isArray(tpl["parameters"]) ? tpl["parameters"].map(String) : [];
    return { body: "", client_message_id: clientMessageId, template: { template_id: tpl["id"], parameters }, reply_to_message_id };
  }
  const interactive = m.payload ? (m.payload["interactive"] as InteractiveOut | undefined) : undefined;
  return {
    body: m.body,
    client_message_id: clientMessageId,
    attachment_ids: m.attachments.map((a) => String(a["id"])),
    reply_to_message_id,
    ...(interactive ? { interactive } : {}),
  };
}
