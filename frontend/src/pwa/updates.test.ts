import { describe, expect, it } from "vitest";
import { ACTIVATE, type ContainerLike, type RegistrationLike, UpdateWatch, type WorkerLike } from "./updates";

class FakeWorker implements WorkerLike {
  state = "installing";
  messages: unknown[] = [];
  private listeners: (() => void)[] = [];
  postMessage(message: unknown) {
    this.messages.push(message);
  }
  addEventListener(_type: "statechange", listener: () => void) {
    this.listeners.push(listener);
  }
  become(state: string) {
    this.state = state;
    for (const l of this.listeners) l();
  }
}

class FakeRegistration implements RegistrationLike {
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
  private found: (() => void)[] = [];
  update() {
    return Promise.resolve();
  }
  addEventListener(_type: "updatefound", listener: () => void) {
    this.found.push(listener);
  }
  deploy(): FakeWorker {
    this.installing = new FakeWorker();
    for (const l of this.found) l();
    return this.installing;
  }
}

class FakeContainer implements ContainerLike {
  registered: string[] = [];
  private changed: (() => void)[] = [];
  constructor(
    public controller: unknown,
    readonly registration = new FakeRegistration(),
  ) {}
  register(url: string) {
    this.registered.push(url);
    return Promise.resolve(this.registration);
  }
  addEventListener(_type: "controllerchange", listener: () => void) {
    this.changed.push(listener);
  }
  takeOver() {
    this.controller = {};
    for (const l of this.changed) l();
  }
}

function watching(controller: unknown) {
  const container = new FakeContainer(controller);
  let reloads = 0;
  const watch = new UpdateWatch(container, () => (reloads += 1));
  const seen: unknown[] = [];
  watch.subscribe((update) => seen.push(update));
  return { container, watch, seen, reloads: () => reloads };
}

describe("updates of the installed app", () => {
  it("offers a deployed version once it is installed, and reloads after it takes over", async () => {
    const { container, watch, seen, reloads } = watching({});
    await watch.start();
    expect(container.registered).toEqual(["/sw.js"]);
    const next = container.registration.deploy();
    expect(seen).toEqual([]);
    next.become("installed");
    expect(seen).toHaveLength(1);
    watch.update?.apply();
    expect(next.messages).toEqual([ACTIVATE]);
    expect(reloads()).toBe(0);
    container.takeOver();
    container.takeOver();
    expect(reloads()).toBe(1);
  });

  it("offers a version already waiting when the page opens", async () => {
    const { container, watch, seen } = watching({});
    container.registration.waiting = new FakeWorker();
    await watch.start();
    expect(seen).toHaveLength(1);
  });

  it("says nothing on the first install, when no older version controls the page", async () => {
    const { container, watch, seen, reloads } = watching(null);
    await watch.start();
    container.registration.deploy().become("installed");
    container.takeOver();
    expect(seen).toEqual([]);
    expect(watch.update).toBeNull();
    expect(reloads()).toBe(0);
  });
});
