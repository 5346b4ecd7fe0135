import { defineConfig } from "vitest/config";

// One self-contained script (no chunks, no CSS file): <script src=".../widget.js" data-channel="…">
export default defineConfig({
  build: {
    target: "es2020",
    outDir: "dist",
    emptyOutDir: true,
    cssCodeSplit: false,
    lib: {
      entry: "src/main.ts",
      name: "FrontdeskWidget",
      formats: ["iife"],
      fileName: () => "widget.js",
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
