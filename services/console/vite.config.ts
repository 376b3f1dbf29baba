import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development (`pnpm dev`), /svc/<service> goes to the services started by infra/local/up.sh and
// /api to the console's server; the built application is served by src/main.ts.
const services = { registration: 3001, cotation: 3002, flux: 3003, cal: 3004, reporting: 3005 };
const proxy = {
  "/api": { target: "http://127.0.0.1:3000" },
  ...Object.fromEntries(
    Object.entries(services).map(([name, port]) => [
      `/svc/${name}`,
      { target: `http://127.0.0.1:${port}`, rewrite: (p: string) => p.replace(`/svc/${name}`, "") },
    ]),
  ),
};

// biome-ignore lint/style/noDefaultExport: Vite reads the default export
export default defineConfig({
  plugins: [react()],
  resolve: {
    // @logis/domain's id helper imports node:crypto; the console never calls it, but bundles the module.
    alias: { "node:crypto": fileURLToPath(new URL("./src/web/lib/crypto-shim.ts", import.meta.url)) },
  },
  build: { outDir: "dist/public", emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { port: 5173, proxy },
});
