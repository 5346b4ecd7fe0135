// What the send-message and wait forms compute: which kind of message a config is, a template's
// parameters sized to its {{n}} placeholders, and a wait's time as the browser shows and stores it.
import { placeholderCount } from "../../conversation/rich";
import type { Config } from "../definition";

export const MESSAGE_KINDS = ["text", "buttons", "list", "template", "survey"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const FILES_AT_MOST = 10;

export type TemplateConfig = { template_id: string; parameters: string[] };

export function messageKind(c: Config): MessageKind {
  if (c.survey) return "survey";
  if (c.template !== undefined) return "template"; // null: a template step whose template is not picked yet
  if (Array.isArray(c.buttons) && c.buttons.length > 0) return "buttons";
  if (c.list) return "list";
  return "text";
}

export function templateOf(c: Config): TemplateConfig | null {
  const raw = c.template as { template_id?: unknown; parameters?: unknown } | null | undefined;
  if (!raw || typeof raw.template_id !== "string") return null;
  const parameters = Array.isArray(raw.parameters) ? raw.parameters.map((p) => (typeof p === "string" ? p : String(p))) : [];
  return { template_id: raw.template_id, parameters };
}

/** One value per {{n}} of the body: the ones already written kept, the rest empty. */
export function sizedParameters(body: string, current: readonly string[]): string[] {
  return Array.from({ length: placeholderCount(body) }, (_, i) => current[i] ?? "");
}

/** The config for a kind: what another kind needs is dropped (a template goes on its own, without files). */
export function configForKind(c: Config, kind: MessageKind, listButton: string): Config {
  const { buttons: _b, list: _l, survey: _s, template: _t, ...rest } = c;
  if (kind === "survey") return { ...rest, survey: "csat" };
  if (kind === "buttons") return { ...withoutFiles(rest), buttons: [{ id: "b1", title: "" }] };
  if (kind === "list") return { ...withoutFiles(rest), list: { button_label: listButton, sections: [{ title: null, rows: [{ id: "r1", title: "" }] }] } };
  if (kind === "template") return { ...withoutFiles(rest), text: "", template: null };
  return rest;
}

function withoutFiles(c: Config): Config {
  const { attachment_ids: _a, ...rest } = c;
  return rest;
}

function pad(n: number): string {
  return String(Math.abs(n)).padStart(2, "0");
}

/** "2026-12-08T09:30" typed in the browser → the same wall time with the browser's offset
 * ("2026-12-08T09:30:00-03:00"); null for anything that is not a date and time. */
export function localToOffsetIso(local: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!match) return null;
  const date = new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4] ?? "00"}`);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  return `${match[1]}T${match[2]}:${match[3]}:${match[4] ?? "00"}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** A stored time shown in the browser's own time zone, as a datetime-local input wants it. */
export function offsetIsoToLocal(iso: string): string {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
