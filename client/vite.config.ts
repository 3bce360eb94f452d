import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const clientDir = fileURLToPath(new URL(".", import.meta.url));
const backend = "http://localhost:3000";

/**
 * The web console. No React plugin: Vite 8 compiles .tsx with Oxc, told here to use React's
 * automatic JSX runtime (imports from react/jsx-runtime), matching "jsx": "react-jsx" in tsconfig.
 */
export default defineConfig({
  root: clientDir,
  base: "/",
  oxc: {
    jsx: { runtime: "automatic", importSource: "react" },
  },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    // The budget that matters is the main chunk gzipped (≤ 250 kB, docs/console.md); minified it is ~560 kB.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/webhooks": { target: backend, changeOrigin: false },
      "/socket.io": { target: backend, ws: true, changeOrigin: false },
    },
  },
});
