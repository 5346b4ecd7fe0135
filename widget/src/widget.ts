// The widget: a launcher and a chat panel in a shadow root, kept in step with the server.
import { ApiError, type History, VisitorApi, type WidgetConfig } from "./api";
import { type Lang, formatBytes, pickLanguage, translator } from "./i18n";
import { type Frame, LiveSocket } from "./socket";
import { type Attachment, type ChatMessage, MessageStore, type ServerMessage, dayLabel } from "./store";
import { styles } from "./styles";

interface Saved {
  token?: string;
  cursor?: number;
}

export interface VisitorSettings {
  user_id?: string;
  user_hash?: string;
  name?: string;
  email?: string;
  locale?: string;
}

const ICON =
  '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
const CLIP =
  '<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7L14 5.5a3.5 3.5 0 0 1 5 5L10.5 19a2 2 0 0 1-3-3L15 8.5"/></svg>';
const TYPING_SHOWN_MS = 5000;
const TYPING_EVERY_MS = 3000;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text = "",
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text) el.textContent = text;
  return el;
}

export class Widget {
  private readonly api: VisitorApi;
  private readonly store = new MessageStore();
  private readonly lang: Lang;
  private readonly t: ReturnType<typeof translator>;
  private readonly key: string;
  private config!: WidgetConfig;
  private socket: LiveSocket | null = null;
  private cursor = 0;
  private agent: History["agent"] = null;
  private unread = 0;
  private open = false;
  private pending: Attachment[] = [];
  private lastTypingSent = 0;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private ui!: {
    launcher: HTMLButtonElement;
    badge: HTMLSpanElement;
    panel: HTMLDivElement;
    agent: HTMLParagraphElement;
    avatar: HTMLDivElement;
    status: HTMLDivElement;
    log: HTMLDivElement;
    typing: HTMLDivElement;
    error: HTMLDivElement;
    chips: HTMLDivElement;
    prechat: HTMLFormElement;
    composer: HTMLFormElement;
    input: HTMLTextAreaElement;
    file: HTMLInputElement;
  };

  constructor(
    base: string,
    channelId: string,
    private readonly settings: VisitorSettings = {},
    private readonly host: HTMLElement = document.body,
  ) {
    this.api = new VisitorApi(base, channelId);
    this.key = `frontdesk:${channelId}`;
    this.lang = pickLanguage([settings.locale ?? "", ...navigator.languages, navigator.language]);
    this.t = translator(this.lang);
  }

  async start(): Promise<void> {
    this.config = await this.api.config();
    this.build();
    const saved = this.load();
    if (saved.token || this.settings.user_id) await this.connect();
  }

  // ---- state kept across page loads -------------------------------------------------------
  private load(): Saved {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? "{}") as Saved;
    } catch {
      return {};
    }
  }

  private save(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify({ token: this.api.token, cursor: this.cursor }));
    } catch {
      // private mode: the chat still works for this page
    }
  }

  // ---- session, history and the live socket -------------------------------------------------
  private async connect(extra: Record<string, unknown> = {}): Promise<void> {
    const saved = this.load();
    const session = await this.api.startSession({
      visitor_token: saved.token ?? null,
      locale: this.lang,
      page_url: location.href,
      user_id: this.settings.user_id,
      user_hash: this.settings.user_hash,
      name: this.settings.name,
      email: this.settings.email,
      ...extra,
    });
    const resumed = saved.token === session.visitor_token && typeof saved.cursor === "number";
    this.cursor = resumed ? (saved.cursor ?? session.cursor) : session.cursor;
    await this.reload();
    if (!resumed) this.cursor = session.cursor;
    this.save();
    this.ui.prechat.hidden = true;
    this.ui.composer.hidden = false;
    this.socket = new LiveSocket({
      url: (cursor) => this.api.socketUrl(cursor),
      cursor: () => this.cursor,
      onFrame: (frame) => this.onFrame(frame),
      onState: (online) => {
        this.ui.status.hidden = online;
      },
    });
    this.socket.start();
  }

  private async reload(): Promise<void> {
    const history = await this.api.history();
    this.store.clear();
    for (const message of history.items) this.store.apply(message);
    this.agent = history.agent;
    this.render();
  }

  private onFrame(frame: Frame): void {
    if (frame.type === "resync") {
      this.cursor = frame.cursor ?? this.cursor;
      void this.reload().then(() => this.save());
      return;
    }
    if (frame.type === "typing" && frame.data) {
      this.showTyping(Boolean(frame.data["active"]));
      return;
    }
    if (typeof frame.id === "number" && frame.type.startsWith("visitor.message")) {
      const message = (frame.data?.["message"] ?? null) as ServerMessage | null;
      if (message) this.receive(message, frame.type === "visitor.message_created");
      this.cursor = Math.max(this.cursor, frame.id);
      this.save();
    }
  }

  private receive(message: ServerMessage, isNew: boolean): void {
    const known = this.store.get(message.id) !== undefined;
    const applied = this.store.apply(message);
    if (applied.author !== "visitor") {
      if (applied.agent) this.agent = applied.agent;
      this.showTyping(false);
      if (isNew && !known && !this.open) this.unread += 1;
    }
    this.render();
    this.markRead();
  }

  // ---- sending --------------------------------------------------------------------------------
  private async send(body: string, clientId = crypto.randomUUID()): Promise<void> {
    const attachments = this.pending;
    this.pending = [];
    this.renderChips();
    this.store.addPending(clientId, body, attachments, new Date());
    this.render();
    this.sendTyping(false);
    try {
      this.store.apply(await this.api.send(body, clientId, attachments.map((a) => a.id)));
      this.flash("");
    } catch (error) {
      this.store.markFailed(clientId);
      if (error instanceof ApiError && error.status === 429) this.flash(this.t("tooFast"));
    }
    this.render();
  }

  private retry(message: ChatMessage): void {
    if (!message.client_message_id) return;
    this.store.markPending(message.client_message_id);
    this.render();
    void this.api
      .send(message.body, message.client_message_id, message.attachments.map((a) => a.id))
      .then((stored) => this.store.apply(stored))
      .catch(() => this.store.markFailed(message.client_message_id ?? ""))
      .finally(() => this.render());
  }

  private async attach(file: File): Promise<void> {
    if (file.size > this.config.max_upload_bytes) {
      this.flash(this.t("tooLarge", { size: formatBytes(this.config.max_upload_bytes, this.lang) }));
      return;
    }
    try {
      this.pending.push(await this.api.upload(file));
      this.flash("");
    } catch (error) {
      this.flash(error instanceof ApiError && error.code !== "not_found" ? error.message : this.t("uploadFailed"));
    }
    this.renderChips();
  }

  private sendTyping(active: boolean): void {
    const now = Date.now();
    if (active && now - this.lastTypingSent < TYPING_EVERY_MS) return;
    this.lastTypingSent = active ? now : 0;
    this.socket?.send({ type: "typing", active });
  }

  private markRead(): void {
    if (!this.open || document.visibilityState !== "visible") return;
    const unread = this.store.unreadReplies();
    const last = unread[unread.length - 1];
    if (last && !last.id.startsWith("local:")) this.socket?.send({ type: "read", message_id: last.id });
  }

  // ---- the DOM --------------------------------------------------------------------------------
  private build(): void {
    const root = h("div");
    root.setAttribute("data-frontdesk-widget", "");
    const shadow = root.attachShadow({ mode: "open" });
    const style = h("style");
    style.textContent = styles(this.config.primary_color, this.config.position);
    const launcher = h("button", { class: "launcher", type: "button", "aria-label": this.t("open") });
    launcher.innerHTML = ICON;
    const badge = h("span", { class: "badge", "aria-live": "polite" });
    badge.hidden = true;
    launcher.append(badge);
    const panel = h("div", { class: "panel", role: "dialog", "aria-label": this.t("title") });
    panel.hidden = true;
    const header = h("header");
    const avatar = h("div", { class: "avatar", "aria-hidden": "true" });
    const who = h("div", { class: "who" });
    const agent = h("p", {}, this.t("online"));
    who.append(h("h2", {}, this.config.name), agent);
    const close = h("button", { class: "icon", type: "button", "aria-label": this.t("close") }, "×");
    header.append(avatar, who, close);
    const status = h("div", { class: "status", role: "status" }, this.t("offline"));
    status.hidden = true;
    const log = h("div", { class: "log", role: "log", "aria-live": "polite" });
    const typing = h("div", { class: "typing", "aria-live": "polite" });
    typing.hidden = true;
    const error = h("div", { class: "error", role: "alert" });
    error.hidden = true;
    const chips = h("div", { class: "chips" });
    chips.hidden = true;
    const prechat = this.buildPrechat();
    const { composer, input, file } = this.buildComposer();
    const footer = h("div", { class: "footer" }, this.t("poweredBy"));
    panel.append(header, status, log, typing, error, chips, prechat, composer, footer);
    shadow.append(style, panel, launcher);
    this.host.append(root);
    this.ui = { launcher, badge, panel, agent, avatar, status, log, typing, error, chips, prechat, composer, input, file };
    launcher.addEventListener("click", () => void this.toggle(!this.open));
    close.addEventListener("click", () => void this.toggle(false));
    panel.addEventListener("keydown", (e) => this.onKey(e));
    document.addEventListener("visibilitychange", () => this.markRead());
    this.render();
  }

  private buildPrechat(): HTMLFormElement {
    const form = h("form", { class: "prechat" });
    const name = h("input", { name: "name", autocomplete: "name" });
    const email = h("input", { name: "email", type: "email", autocomplete: "email" });
    if (this.config.pre_chat.require_email) email.required = true;
    const nameLabel = h("label", {}, this.t("name"));
    nameLabel.append(name);
    const emailLabel = h("label", {}, this.t("email"));
    emailLabel.append(email);
    form.append(nameLabel, emailLabel, h("button", { class: "send", type: "submit" }, this.t("start")));
    form.hidden = true;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (this.config.pre_chat.require_email && !email.value) {
        this.flash(this.t("emailRequired"));
        return;
      }
      void this.connect({ name: name.value || undefined, email: email.value || undefined })
        .then(() => this.ui.input.focus())
        .catch((err: unknown) => this.flash(err instanceof Error ? err.message : String(err)));
    });
    return form;
  }

  private buildComposer(): { composer: HTMLFormElement; input: HTMLTextAreaElement; file: HTMLInputElement } {
    const composer = h("form", { class: "composer" });
    const input = h("textarea", { rows: "1", "aria-label": this.t("placeholder"), placeholder: this.t("placeholder") });
    const file = h("input", { type: "file", hidden: "" });
    const attach = h("button", { class: "icon", type: "button", "aria-label": this.t("attach") });
    attach.innerHTML = CLIP;
    attach.style.color = "#4b5563";
    const send = h("button", { class: "send", type: "submit" }, this.t("send"));
    composer.append(attach, file, input, send);
    composer.hidden = true;
    attach.addEventListener("click", () => file.click());
    file.addEventListener("change", () => {
      const chosen = file.files?.[0];
      if (chosen) void this.attach(chosen);
      file.value = "";
    });
    input.addEventListener("input", () => this.sendTyping(input.value.length > 0));
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        composer.requestSubmit();
      }
    });
    composer.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = input.value.trim();
      if (!body && this.pending.length === 0) return;
      input.value = "";
      void this.send(body);
    });
    return { composer, input, file };
  }

  private async toggle(open: boolean): Promise<void> {
    this.open = open;
    this.ui.panel.hidden = !open;
    this.ui.launcher.setAttribute("aria-label", this.t(open ? "close" : "open"));
    if (!open) {
      this.ui.launcher.focus();
      return;
    }
    this.unread = 0;
    this.render();
    if (!this.api.token) {
      if (this.config.pre_chat.enabled && !this.settings.email) {
        this.ui.prechat.hidden = false;
        this.ui.prechat.querySelector("input")?.focus();
        return;
      }
      try {
        await this.connect();
      } catch (err) {
        this.flash(err instanceof Error ? err.message : String(err));
        return;
      }
    }
    this.ui.composer.hidden = false;
    this.ui.input.focus();
    this.markRead();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === "Escape") {
      void this.toggle(false);
      return;
    }
    if (event.key !== "Tab") return;
    // Keep the focus inside the open panel.
    const focusable = [...this.ui.panel.querySelectorAll<HTMLElement>("button, textarea, input:not([hidden])")].filter(
      (el) => !el.closest("[hidden]"),
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = (this.ui.panel.getRootNode() as ShadowRoot).activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  private showTyping(active: boolean): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.ui.typing.hidden = !active;
    this.ui.typing.textContent = this.t("typing", { name: this.agent?.name ?? this.t("someone") });
    if (active) this.typingTimer = setTimeout(() => this.showTyping(false), TYPING_SHOWN_MS);
  }

  private flash(text: string): void {
    this.ui.error.textContent = text;
    this.ui.error.hidden = !text;
  }

  private renderChips(): void {
    this.ui.chips.replaceChildren(...this.pending.map((a) => h("span", { class: "chip" }, a.name ?? a.id)));
    this.ui.chips.hidden = this.pending.length === 0;
  }

  private render(): void {
    const { log, badge, agent, avatar } = this.ui;
    const name = this.agent?.name;
    agent.textContent = name ?? this.t("online");
    avatar.textContent = (name ?? this.config.name).slice(0, 1).toUpperCase();
    badge.hidden = this.unread === 0 || this.open;
    badge.textContent = String(this.unread);
    badge.setAttribute("aria-label", this.t("unread", { count: this.unread }));
    const nodes: HTMLElement[] = [h("div", { class: "greeting" }, this.config.greeting[this.lang] ?? "")];
    let day = "";
    const now = new Date();
    for (const message of this.store.list()) {
      const label = dayLabel(message.created_at, now, this.lang, this.t("today"), this.t("yesterday"));
      if (label !== day) {
        day = label;
        nodes.push(h("div", { class: "day" }, label));
      }
      nodes.push(this.bubble(message));
    }
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.replaceChildren(...nodes);
    if (atBottom || this.open) log.scrollTop = log.scrollHeight;
  }

  private bubble(message: ChatMessage): HTMLElement {
    const mine = message.author === "visitor";
    const el = h("div", { class: `msg ${mine ? "mine" : "theirs"}${message.local === "failed" ? " failed" : ""}` });
    if (!mine) el.append(h("span", { class: "by" }, message.agent?.name ?? this.t("team")));
    el.append(document.createTextNode(message.body));
    for (const a of message.attachments) {
      if (a.thumbnail_url) el.append(h("img", { src: a.thumbnail_url, alt: a.name ?? "" }));
      else if (a.url) el.append(h("a", { href: a.url, target: "_blank", rel: "noopener" }, a.name ?? "file"));
      else el.append(h("span", { class: "chip" }, a.name ?? "file"));
    }
    const time = new Intl.DateTimeFormat(this.lang, { hour: "2-digit", minute: "2-digit" }).format(
      new Date(message.created_at),
    );
    let tick = "";
    if (mine) {
      if (message.local === "failed") tick = this.t("retry");
      else if (message.local === "pending") tick = "…";
      else tick = message.status === "read" ? "✓✓" : "✓";
    }
    const meta = h("span", { class: "meta" }, tick ? `${time} ${tick}` : time);
    if (mine && message.local === "stored") meta.title = this.t(message.status === "read" ? "read" : "sent");
    el.append(meta);
    if (message.local === "failed") el.addEventListener("click", () => this.retry(message));
    return el;
  }
}
