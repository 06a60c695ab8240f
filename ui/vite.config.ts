/// <reference types="vitest/config" />
import { defineConfig } from "vite";

export default defineConfig({
  // The app is served from the Tauri asset protocol, so paths must be relative.
  base: "./",
  clearScreen: false,
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.4x and newer.
    target: "safari15",
    sourcemap: false,
  },
  server: { fs: { allow: [".."] } },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
