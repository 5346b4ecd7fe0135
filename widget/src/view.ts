// The widget's DOM: built once inside the shadow root, then updated by the controller.
import type { WidgetConfig } from "./api";
import { initials, timeLabel } from "./format";
import type { Key, Lang } from "./i18n";
import type { ChatMessage } from "./store";

export type T = (key: Key, vars?: Record<string, string | number>) => string;

const CHAT =
  '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
const CLIP =
  '<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7L14 5.5a3.5 3.5 0 0 1 5 5L10.5 19a2 2 0 0 1-3-3L15 8.5"/></svg>';
const CLOCK =
  '<svg viewBox="0 0 16 16" width="12" height="12" fill="none" stroke="currentColor" stroke-width="1.6" aria-hidden="true"><circle cx="8" cy="8" r="6.5"/><path d="M8 4.5V8l2.5 1.5"/></svg>';

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text = "",
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text) el.textContent = text;
  return el;
}

function hidden<E extends HTMLElement>(el: E): E {
  el.hidden = true;
  return el;
}

export interface View {
  root: HTMLDivElement;
  launcher: HTMLButtonElement;
  badge: HTMLSpanElement;
  panel: HTMLDivElement;
  close: HTMLButtonElement;
  agent: HTMLParagraphElement;
  avatar: HTMLDivElement;
  status: HTMLDivElement;
  log: HTMLDivElement;
  typing: HTMLDivElement;
  error: HTMLDivElement;
  chips: HTMLDivElement;
  prechat: HTMLFormElement;
  name: HTMLInputElement;
  email: HTMLInputElement;
  composer: HTMLFormElement;
  input: HTMLTextAreaElement;
  file: HTMLInputElement;
  attach: HTMLButtonElement;
}

/** The launcher and the (hidden) panel, attached to a fresh shadow root. */
export function buildView(config: WidgetConfig, t: T, css: string): View {
  const root = h("div", { "data-frontdesk-widget": "" });
  const shadow = root.attachShadow({ mode: "open" });
  const launcher = h("button", { class: "launcher", type: "button", "aria-label": t("open") });
  launcher.innerHTML = CHAT;
  const badge = hidden(h("span", { class: "badge", "aria-hidden": "true" }));
  launcher.append(badge);

  const panel = hidden(h("div", { class: "panel", role: "dialog", "aria-modal": "true", "aria-label": t("title") }));
  const avatar = h("div", { class: "avatar", "aria-hidden": "true" });
  const who = h("div", { class: "who" });
  const agent = h("p", { "aria-live": "polite" });
  who.append(h("h2", {}, config.name), agent);
  const close = h("button", { class: "icon", type: "button", "aria-label": t("close") }, "×");
  const header = h("header");
  header.append(avatar, who, close);

  const status = hidden(h("div", { class: "status", role: "status" }, t("offline")));
  const log = h("div", { class: "log", role: "log", "aria-label": t("title") });
  const typing = hidden(h("div", { class: "typing", role: "status" }));
  const error = hidden(h("div", { class: "error", role: "alert" }));
  const chips = hidden(h("div", { class: "chips" }));

  const prechat = hidden(h("form", { class: "prechat" }));
  const name = h("input", { name: "name", autocomplete: "name" });
  const email = h("input", { name: "email", type: "email", autocomplete: "email" });
  email.required = config.pre_chat.require_email;
  const nameLabel = h("label", {}, t("name"));
  nameLabel.append(name);
  const emailLabel = h("label", {}, t("email"));
  emailLabel.append(email);
  prechat.append(nameLabel, emailLabel, h("button", { class: "send", type: "submit" }, t("start")));

  const composer = hidden(h("form", { class: "composer" }));
  const input = h("textarea", { rows: "1", "aria-label": t("placeholder"), placeholder: t("placeholder") });
  const file = h("input", { type: "file", hidden: "", tabindex: "-1" });
  const attach = h("button", { class: "icon attach", type: "button", "aria-label": t("attach") });
  attach.innerHTML = CLIP;
  composer.append(attach, file, input, h("button", { class: "send", type: "submit" }, t("send")));

  const footer = h("div", { class: "footer" }, t("poweredBy"));
  panel.append(header, status, log, typing, error, chips, prechat, composer, footer);
  const style = h("style");
  style.textContent = css;
  shadow.append(style, panel, launcher);
  return {
    root, launcher, badge, panel, close, agent, avatar, status, log, typing, error, chips,
    prechat, name, email, composer, input, file, attach,
  };
}

/** The header's avatar: the agent's picture, or initials. */
export function renderAvatar(el: HTMLElement, name: string, url: string | null | undefined): void {
  if (url) {
    const img = h("img", { src: url, alt: "" });
    el.replaceChildren(img);
  } else {
    el.textContent = initials(name);
  }
}

/** One message bubble: the visitor's on the right with ticks, replies on the left. */
export function renderBubble(message: ChatMessage, t: T, lang: Lang, onRetry: () => void): HTMLElement {
  const mine = message.author === "visitor";
  const failed = message.local === "failed";
  const el = h("div", { class: `msg ${mine ? "mine" : "theirs"}${failed ? " failed" : ""}` });
  if (!mine) el.append(h("span", { class: "by" }, message.agent?.name ?? t("team")));
  if (message.body) el.append(h("span", { class: "body" }, message.body));
  for (const a of message.attachments) {
    const label = a.name ?? "file";
    if (a.thumbnail_url && a.url) {
      const link = h("a", { href: a.url, target: "_blank", rel: "noopener" });
      link.append(h("img", { src: a.thumbnail_url, alt: label }));
      el.append(link);
    } else if (a.url) el.append(h("a", { href: a.url, target: "_blank", rel: "noopener" }, label));
    else el.append(h("span", { class: "chip" }, label));
  }
  const meta = h("span", { class: "meta" }, timeLabel(message.created_at, lang));
  if (mine && message.local === "pending") {
    const clock = h("span", { class: "tick", role: "img", "aria-label": t("sending"), title: t("sending") });
    clock.innerHTML = CLOCK;
    meta.append(" ", clock);
  } else if (mine && !failed) {
    const read = message.status === "read";
    meta.append(" ", h("span", { class: "tick", role: "img", "aria-label": t(read ? "read" : "sent"), title: t(read ? "read" : "sent") }, read ? "✓✓" : "✓"));
  }
  el.append(meta);
  if (failed) {
    const retry = h("button", { class: "retry", type: "button" }, `↻ ${t("retry")}`);
    retry.addEventListener("click", onRetry);
    el.append(retry);
  }
  return el;
}

/** Keep Tab and Shift+Tab inside the open panel. */
export function trapFocus(panel: HTMLElement, event: KeyboardEvent): void {
  const focusable = [
    ...panel.querySelectorAll<HTMLElement>("button, textarea, input:not([type=file]), a[href]"),
  ].filter((el) => !el.closest("[hidden]") && !(el as HTMLButtonElement).disabled);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = (panel.getRootNode() as ShadowRoot).activeElement;
  if (event.shiftKey && (active === first || !panel.contains(active))) {
    event.preventDefault();
    last?.focus();
  } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
    event.preventDefault();
    first?.focus();
  }
}
