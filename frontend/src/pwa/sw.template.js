// Frontdesk's service worker: the app shell from the cache, never the API or the live socket.
// Built by src/pwa/vitePlugin.ts, which fills in this build's version and shell files.
const VERSION = "__FRONTDESK_VERSION__";
const SHELL = __FRONTDESK_SHELL__;
const PREFIX = "frontdesk-shell-";
const CACHE = PREFIX + VERSION;
// Answered by the server every time: the API, provider webhooks, metrics, the widget and the
// demo website (the WebSocket never passes through a service worker).
const NEVER = ["/api/", "/webhooks/", "/metrics", "/healthz", "/readyz", "/widget.js", "/demo/"];

self.addEventListener("install", (event) => {
  // A new version waits until the page says so ("A new version is available — Reload").
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "frontdesk.activate") self.skipWaiting();
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put("/", response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match("/");
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NEVER.some((p) => url.pathname === p || url.pathname.startsWith(p))) return;
  if (request.mode === "navigate") {
    // index.html from the network first, so that a new deploy is seen on the next load.
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith("/assets/") || SHELL.includes(url.pathname)) {
    // Hashed file names never change their content.
    event.respondWith(cacheFirst(request));
  }
});
