import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import type { startPlatformForConsole } from "./platform.js";

export { waitFor } from "./platform.js";

// What every area of the end-to-end suite shares: the platform started once, one Chromium, and per
// area a browser context of its own (its own session, its own record of failed requests), so that
// the areas stay independent while paying for one start.

export type ConsolePlatform = Awaited<ReturnType<typeof startPlatformForConsole>>;

const shots = fileURLToPath(new URL("../.screenshots/", import.meta.url));
mkdirSync(shots, { recursive: true });

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true });
}

/**
 * A browser context for one area: offline but for the console's origin, failures noted unless
 * `expected` says the area asked for them (a 409 duplicate warning, a 400 refusal…).
 */
export async function openArea(browser: Browser, base: string, expected: (status: number, url: string) => boolean) {
  const problems: string[] = [];
  const ctx = await browser.newContext({
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 1280, height: 900 },
  });
  const origin = new URL(base).origin;
  await ctx.route("**/*", (route) => {
    if (new URL(route.request().url()).origin === origin) return route.continue();
    problems.push(`outside request: ${route.request().url()}`);
    return route.abort();
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !expected(r.status(), r.url())) problems.push(`${r.status()} ${r.url()}`);
  });
  return { page, problems, close: () => ctx.close(), ...helpers(page, base) };
}

export type Area = Awaited<ReturnType<typeof openArea>>;

function helpers(page: Page, base: string) {
  const nav = () => page.getByRole("navigation", { name: /menu principal/i });
  return {
    nav,
    /**
     * axe-core on the page as it is: no serious or critical violation. `whole` checks the header,
     * menu and footer too; otherwise the page's own content (`main`), the frame being the same on
     * every page (checked whole on sign-in and once for each kind of user).
     */
    async axe(name: string, whole = false) {
      const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]);
      const result = await (whole ? builder : builder.include("#contenu")).analyze();
      const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${name}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
    },
    /** A full-page screenshot in services/console/.screenshots/. */
    shot: (name: string) => page.screenshot({ path: `${shots}${name}.png`, fullPage: true }),
    /** Signs out whoever is in, and in as the demo user named. */
    async signIn(name: string) {
      await page.goto(`${base}/`);
      const signOut = page.getByRole("button", { name: "Se déconnecter" });
      if (await signOut.isVisible()) await signOut.click();
      await page.getByRole("heading", { name: "Connexion" }).waitFor();
      await page.getByText(name, { exact: false }).first().click();
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("heading", { name: `Bonjour ${name}` }).waitFor();
    },
    /**
     * Follows a menu entry. Entries of flux, CAL and reporting show once the console's server saw the
     * service ready: on a loaded machine that probe can miss, so the page is then reloaded (it asks again).
     */
    async menu(name: string) {
      const link = nav().getByRole("link", { name });
      await nav().getByRole("link", { name: "Accueil" }).waitFor();
      for (let attempt = 0; attempt < 5 && !(await link.isVisible()); attempt++) {
        await page.waitForLoadState("networkidle");
        if (await link.isVisible()) break;
        await page.reload();
        await page.getByRole("button", { name: "Se déconnecter" }).waitFor();
        await page.waitForLoadState("networkidle");
      }
      await link.click();
    },
  };
}

/** A seeding started early and awaited by its area only: its failure fails that area alone. */
export function settle<T>(work: Promise<T>): () => Promise<T> {
  const settled = work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const r = await settled;
    if (!r.ok) throw r.error;
    return r.value;
  };
}
