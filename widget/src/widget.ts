// The widget's controller: session, history, live events, sending and the panel's state.
import { ApiError, type History, VisitorApi, type WidgetConfig } from "./api";
import { availabilityLine, refreshDelay } from "./availability";
import { dayLabel, pictureUrl } from "./format";
import { type Lang, formatBytes, pickLanguage, translator } from "./i18n";
import { retryDelay } from "./retry";
import { type Frame, LiveSocket } from "./socket";
import { type Attachment, type ChatMessage, MessageStore, type ServerMessage } from "./store";
import { styles } from "./styles";
import { type T, type View, buildView, h, renderAvatar, renderBubble, trapFocus } from "./view";

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

interface Upload {
  key: string;
  name: string;
  progress: number;
  attachment: Attachment | null;
}

const TYPING_SHOWN_MS = 6000;
const TYPING_EVERY_MS = 3000;
const TYPING_IDLE_MS = 4000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Widget {
  private readonly api: VisitorApi;
  private readonly store = new MessageStore();
  private readonly lang: Lang;
  private readonly t: T;
  private readonly key: string;
  private config!: WidgetConfig;
  private ui!: View;
  private socket: LiveSocket | null = null;
  private cursor = 0;
  private agent: History["agent"] = null;
  private earlier: string | null = null;
  private open = false;
  private uploads: Upload[] = [];
  private lastTypingSent = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private readSent: string | null = null;
  private refused = false;
  private availabilityTimer: ReturnType<typeof setTimeout> | null = null;

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
    this.ui = buildView(this.config, this.t, styles(this.config.primary_color, this.config.position));
    this.host.append(this.ui.root);
    this.wire();
    this.render();
    if (this.load().token || this.settings.user_id) await this.connect();
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
    // The same visitor again: resume from the saved cursor so nothing missed is skipped.
    const resumed = saved.token === session.visitor_token && typeof saved.cursor === "number";
    this.cursor = resumed ? (saved.cursor ?? session.cursor) : session.cursor;
    await this.reload();
    this.save();
    this.ui.prechat.hidden = true;
    this.ui.composer.hidden = false;
    this.socket?.stop();
    this.socket = new LiveSocket({
      url: (cursor) => this.api.socketUrl(cursor),
      cursor: () => this.cursor,
      onFrame: (frame) => this.onFrame(frame),
      onState: (online) => {
        this.ui.status.hidden = online;
      },
      onRefused: () => this.startAfresh(),
    });
    this.socket.start();
  }

  /** The socket refused our token (a rotated key, a removed visitor): ask for a new one, once. */
  private startAfresh(): void {
    if (this.refused) {
      this.ui.status.hidden = false;
      return;
    }
    this.refused = true;
    this.api.token = null;
    this.cursor = 0;
    this.save();
    this.connect().catch(() => {
      this.ui.status.hidden = false;
    });
  }

  private async reload(): Promise<void> {
    const history = await this.api.history();
    this.store.reset(history.items);
    this.agent = history.agent;
    this.earlier = history.next_cursor;
    this.render();
  }

  private async loadEarlier(): Promise<void> {
    if (!this.earlier) return;
    const page = await this.api.history(this.earlier);
    for (const message of page.items) this.store.apply(message);
    this.earlier = page.next_cursor;
    const { log } = this.ui;
    const fromBottom = log.scrollHeight - log.scrollTop;
    this.render(false);
    log.scrollTop = log.scrollHeight - fromBottom;
  }

  private onFrame(frame: Frame): void {
    if (frame.type === "resync") {
      // Too far behind to replay: start again from the history and the server's cursor.
      this.cursor = frame.cursor ?? this.cursor;
      void this.reload().then(() => this.save());
    } else if (frame.type === "typing" && frame.data) {
      this.showTyping(Boolean(frame.data["active"]));
    } else if (typeof frame.id === "number" && frame.type.startsWith("visitor.message")) {
      const message = (frame.data?.["message"] ?? null) as ServerMessage | null;
      if (message) this.receive(message);
      this.cursor = Math.max(this.cursor, frame.id);
      this.save();
    }
  }

  private receive(message: ServerMessage): void {
    const applied = this.store.apply(message);
    if (applied.author !== "visitor") {
      if (applied.agent) this.agent = applied.agent;
      if (applied.author === "agent") this.showTyping(false);
    }
    this.render();
  }

  // ---- sending --------------------------------------------------------------------------------
  private async send(body: string): Promise<void> {
    const attachments = this.uploads.flatMap((u) => (u.attachment ? [u.attachment] : []));
    this.uploads = [];
    this.renderChips();
    const message = this.store.addPending(crypto.randomUUID(), body, attachments, new Date());
    this.render();
    this.scrollToEnd();
    this.typing(false);
    await this.deliver(message);
  }

  /** Send until stored: network errors, 5xx and 429 are retried with the same client id. */
  private async deliver(message: ChatMessage): Promise<void> {
    const clientId = message.client_message_id ?? "";
    const ids = message.attachments.map((a) => a.id);
    for (let attempt = 0; ; attempt++) {
      try {
        this.store.apply(await this.api.send(message.body, clientId, ids));
        this.flash("");
        break;
      } catch (err) {
        const error = err instanceof ApiError ? err : new ApiError(0, "network", String(err));
        if (error.status === 429) this.flash(this.t("tooFast"));
        const wait = retryDelay(error.status, error.retryAfter, attempt);
        if (wait === null) {
          this.store.markFailed(clientId);
          if (error.status >= 400 && error.status < 500 && error.status !== 429) this.flash(error.message);
          break;
        }
        await sleep(wait);
      }
    }
    this.render();
  }

  private retry(message: ChatMessage): void {
    if (!message.client_message_id) return;
    this.store.markPending(message.client_message_id);
    this.render();
    void this.deliver(message);
  }

  private async attach(file: File): Promise<void> {
    if (file.size > this.config.max_upload_bytes) {
      this.flash(this.t("tooLarge", { size: formatBytes(this.config.max_upload_bytes, this.lang) }));
      return;
    }
    this.flash("");
    const upload: Upload = { key: crypto.randomUUID(), name: file.name, progress: 0, attachment: null };
    this.uploads.push(upload);
    this.renderChips();
    try {
      upload.attachment = await this.api.upload(file, (fraction) => {
        upload.progress = fraction;
        this.renderChips();
      });
    } catch (error) {
      this.uploads = this.uploads.filter((u) => u !== upload);
      this.flash(this.uploadError(error));
    }
    this.renderChips();
  }

  /** Our own words for a size refusal; the server's for a refused file; a generic line otherwise. */
  private uploadError(error: unknown): string {
    const status = error instanceof ApiError ? error.status : 0;
    if (status === 413) return this.t("tooLarge", { size: formatBytes(this.config.max_upload_bytes, this.lang) });
    if (error instanceof ApiError && (status === 400 || status === 415 || status === 422)) return error.message;
    return this.t("uploadFailed");
  }

  /** Tell the agents the visitor is typing: at most every few seconds, and when they stop. */
  private typing(active: boolean): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (active) this.idleTimer = setTimeout(() => this.typing(false), TYPING_IDLE_MS);
    const now = Date.now();
    if (active && now - this.lastTypingSent < TYPING_EVERY_MS) return;
    if (!active && this.lastTypingSent === 0) return;
    this.lastTypingSent = active ? now : 0;
    this.socket?.send({ type: "typing", active });
  }

  /** Report the newest reply as read while the visitor can see it (earlier ones follow). */
  private markRead(): void {
    if (!this.open || document.visibilityState !== "visible") return;
    const unread = this.store.unreadReplies();
    const last = unread[unread.length - 1];
    if (!last || last.id === this.readSent) return;
    this.readSent = last.id;
    this.api.read(last.id).catch(() => {
      this.readSent = null;
    });
  }

  // ---- the panel ------------------------------------------------------------------------------
  private wire(): void {
    const { launcher, close, panel, prechat, composer, input, file, attach } = this.ui;
    launcher.addEventListener("click", () => void this.toggle(!this.open));
    close.addEventListener("click", () => void this.toggle(false));
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Tab") trapFocus(panel, e);
    });
    // Esc closes the open panel wherever the focus is (it may not have reached the panel yet).
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.open) void this.toggle(false);
    });
    document.addEventListener("visibilitychange", () => this.markRead());
    prechat.addEventListener("submit", (e) => {
      e.preventDefault();
      this.startFromForm();
    });
    attach.addEventListener("click", () => file.click());
    file.addEventListener("change", () => {
      const chosen = file.files?.[0];
      if (chosen) void this.attach(chosen);
      file.value = "";
    });
    input.addEventListener("input", () => this.typing(input.value.length > 0));
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        composer.requestSubmit();
      }
    });
    composer.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = input.value.trim();
      if (this.uploads.some((u) => !u.attachment)) return;
      if (!body && this.uploads.length === 0) return;
      input.value = "";
      void this.send(body);
    });
  }

  private startFromForm(): void {
    const name = this.ui.name.value.trim();
    const email = this.ui.email.value.trim();
    if (this.config.pre_chat.require_email && !email) {
      this.flash(this.t("emailRequired"));
      return;
    }
    this.connect({ name: name || undefined, email: email || undefined })
      .then(() => {
        this.flash("");
        this.ui.input.focus();
      })
      .catch((err: unknown) => this.flash(err instanceof Error ? err.message : String(err)));
  }

  private async toggle(open: boolean): Promise<void> {
    this.open = open;
    this.ui.panel.hidden = !open;
    this.ui.launcher.setAttribute("aria-expanded", String(open));
    this.render();
    this.scrollToEnd();
    if (!open) {
      this.ui.launcher.focus();
      return;
    }
    void this.refreshAvailability();
    if (!this.api.token) {
      if (this.config.pre_chat.enabled && !this.settings.email) {
        this.ui.prechat.hidden = false;
        this.ui.name.focus();
        return;
      }
      try {
        await this.connect();
      } catch (err) {
        this.flash(err instanceof Error ? err.message : String(err));
        return;
      }
    }
    this.ui.input.focus();
  }

  /** Ask again whether the team is open while the panel is open: at the opening, else every 5 min. */
  private async refreshAvailability(): Promise<void> {
    if (this.availabilityTimer) clearTimeout(this.availabilityTimer);
    try {
      this.config = { ...this.config, availability: (await this.api.config()).availability };
      this.render(false);
    } catch {
      // keep the last answer; the next refresh tries again
    }
    if (this.open) this.availabilityTimer = setTimeout(() => void this.refreshAvailability(), refreshDelay(this.config.availability, new Date()));
  }

  private showTyping(active: boolean): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.ui.typing.hidden = !active;
    this.ui.typing.textContent = active ? this.t("typing", { name: this.agent?.name ?? this.t("someone") }) : "";
    // The agent's client stops saying so when it goes away; do not show it for ever.
    if (active) this.typingTimer = setTimeout(() => this.showTyping(false), TYPING_SHOWN_MS);
  }

  private flash(text: string): void {
    this.ui.error.textContent = text;
    this.ui.error.hidden = !text;
  }

  private renderChips(): void {
    const chips = this.uploads.map((upload) => {
      const chip = h("span", { class: "chip" }, upload.name);
      if (!upload.attachment) {
        const bar = h("progress", { max: "1", "aria-label": this.t("uploading", { name: upload.name }) });
        bar.value = upload.progress;
        chip.append(bar);
        return chip;
      }
      const remove = h("button", { class: "icon", type: "button", "aria-label": this.t("remove", { name: upload.name }) }, "×");
      remove.addEventListener("click", () => {
        this.uploads = this.uploads.filter((u) => u !== upload);
        this.renderChips();
      });
      chip.append(remove);
      return chip;
    });
    this.ui.chips.replaceChildren(...chips);
    this.ui.chips.hidden = chips.length === 0;
  }

  private scrollToEnd(): void {
    this.ui.log.scrollTop = this.ui.log.scrollHeight;
  }

  private render(follow = true): void {
    const { log, badge, launcher, agent, avatar } = this.ui;
    agent.textContent = this.agent?.name ?? availabilityLine(this.config.availability, new Date(), this.lang, this.t);
    renderAvatar(avatar, this.agent?.name ?? this.config.name, pictureUrl(this.agent?.avatar_url, this.api.base, location.href));
    const unread = this.open ? 0 : this.store.unreadReplies().length;
    badge.hidden = unread === 0;
    badge.textContent = String(unread);
    const label = this.t(this.open ? "close" : "open");
    launcher.setAttribute("aria-label", unread ? `${label} (${this.t("unread", { count: unread })})` : label);

    const nodes: HTMLElement[] = [];
    if (this.earlier) {
      const more = h("button", { class: "earlier", type: "button" }, this.t("earlier"));
      more.addEventListener("click", () => void this.loadEarlier());
      nodes.push(more);
    }
    nodes.push(h("div", { class: "greeting" }, this.config.greeting[this.lang] ?? this.config.greeting["en"] ?? ""));
    let day = "";
    const now = new Date();
    for (const message of this.store.list()) {
      const label = dayLabel(message.created_at, now, this.lang, this.t("today"), this.t("yesterday"));
      if (label !== day) {
        day = label;
        nodes.push(h("div", { class: "day", role: "separator" }, label));
      }
      nodes.push(renderBubble(message, this.t, this.lang, () => this.retry(message)));
    }
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.replaceChildren(...nodes);
    if (follow && atBottom) this.scrollToEnd();
    this.markRead();
  }
}
