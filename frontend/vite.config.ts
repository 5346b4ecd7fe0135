import { defineConfig } from "vitest/config";
import { serviceWorker } from "./src/pwa/vitePlugin";

// Served by Frontdesk itself at /; the API and sockets are on the same origin.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  plugins: [serviceWorker()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      onwarn(warning, warn) {
        // Libraries mark client components with "use client"; it means nothing in a SPA bundle.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { "/api": { target: "http://127.0.0.1:8000", ws: true } },
  },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
