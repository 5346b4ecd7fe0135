// The installable app's updates: register the service worker, notice when a new version has
// been deployed (a new worker installed while an older one controls the page), and on the
// user's word let the new one take over and reload into it.

/** The parts of the browser's service worker API this uses (faked in the unit tests). */
export interface WorkerLike {
  state: string;
  postMessage(message: unknown): void;
  addEventListener(type: "statechange", listener: () => void): void;
}

export interface RegistrationLike {
  installing: WorkerLike | null;
  waiting: WorkerLike | null;
  update(): Promise<unknown>;
  addEventListener(type: "updatefound", listener: () => void): void;
}

export interface ContainerLike {
  controller: unknown;
  register(url: string, options?: { scope: string }): Promise<RegistrationLike>;
  addEventListener(type: "controllerchange", listener: () => void): void;
}

export const ACTIVATE = { type: "frontdesk.activate" } as const;
export const CHECK_EVERY_MS = 30 * 60_000;

type Listener = (update: Update | null) => void;

/** A new version, installed and waiting: `apply` makes it take over and reloads the page. */
export interface Update {
  apply(): void;
}

export class UpdateWatch {
  private current: Update | null = null;
  private readonly listeners = new Set<Listener>();
  private reloading = false;

  constructor(
    private readonly container: ContainerLike,
    private readonly reload: () => void,
  ) {}

  get update(): Update | null {
    return this.current;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Register `/sw.js` and watch it; resolves with the registration for periodic checks. */
  async start(url = "/sw.js"): Promise<RegistrationLike> {
    // A page loaded without a worker is already the newest: the first install is no update.
    const hadController = Boolean(this.container.controller);
    this.container.addEventListener("controllerchange", () => {
      if (!hadController || this.reloading) return;
      this.reloading = true;
      this.reload();
    });
    const registration = await this.container.register(url, { scope: "/" });
    if (registration.waiting && this.container.controller) this.offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && this.container.controller) this.offer(worker);
      });
    });
    return registration;
  }

  private offer(worker: WorkerLike): void {
    this.current = { apply: () => worker.postMessage(ACTIVATE) };
    for (const listener of this.listeners) listener(this.current);
  }
}

/** In a built app served over a secure origin: register, and look for a new version every
 * half hour and whenever the tab comes back into view. */
export function watchForUpdates(): UpdateWatch | null {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return null;
  const watch = new UpdateWatch(navigator.serviceWorker, () => window.location.reload());
  void watch
    .start()
    .then((registration) => {
      const check = () => void registration.update().catch(() => undefined);
      window.setInterval(check, CHECK_EVERY_MS);
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") check();
      });
    })
    .catch(() => undefined); // no worker (a private window, a policy): the app works without
  return watch;
}
