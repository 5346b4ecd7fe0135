// Writes dist/sw.js: the service worker with this build's version (a digest of its file names,
// which carry the content hashes) and the app shell to keep (the page, its entry script and
// styles, the manifest and the icons).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Plugin } from "vite";

const TEMPLATE = new URL("./sw.template.js", import.meta.url);
const PUBLIC_SHELL = [
  "/",
  "/manifest.webmanifest",
  "/icon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-512.png",
];

export function serviceWorker(): Plugin {
  return {
    name: "frontdesk-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const names = Object.keys(bundle).sort();
      const entry = Object.values(bundle).flatMap((file) =>
        file.type === "chunk" && file.isEntry
          ? [file.fileName, ...(file.viteMetadata?.importedCss ?? [])]
          : [],
      );
      const version = createHash("sha256").update(names.join("\n")).digest("hex").slice(0, 16);
      const shell = [...PUBLIC_SHELL, ...entry.map((name) => `/${name}`)];
      const source = readFileSync(TEMPLATE, "utf8")
        .replace("__FRONTDESK_VERSION__", version)
        .replace("__FRONTDESK_SHELL__", JSON.stringify(shell));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}
