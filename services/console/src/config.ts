import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const url = z.url();
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The console's configuration: its port, the services it calls, and the development issuer's keys. */
export const ConsoleConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  NODE_ENV: z.string().default("development"),
  REGISTRATION_URL: url.default("http://127.0.0.1:3001"),
  COTATION_URL: url.default("http://127.0.0.1:3002"),
  FLUX_URL: url.default("http://127.0.0.1:3003"),
  CAL_URL: url.default("http://127.0.0.1:3004"),
  REPORTING_URL: url.default("http://127.0.0.1:3005"),
  /**
   * The local issuer's key pair (written by infra/local/up.sh). Only in development: the console then
   * signs tokens for the demo users, server side; the private key never leaves this process.
   */
  CONSOLE_DEV_ISSUER_KEYS: z.string().optional(),
  /** The built single-page application (vite build). */
  CONSOLE_STATIC_DIR: z.string().default(fileURLToPath(new URL("./public", import.meta.url))),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

export function loadConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  const parsed = ConsoleConfig.safeParse(env);
  if (!parsed.success) throw new Error(`console configuration:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  if (config.CONSOLE_DEV_ISSUER_KEYS === undefined && config.NODE_ENV !== "production") {
    const local = `${repoRoot}.local/auth/keys.json`;
    if (existsSync(local)) config.CONSOLE_DEV_ISSUER_KEYS = local;
  }
  return config;
}
