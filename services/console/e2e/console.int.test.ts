import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe } from "vitest";
import { type ConsolePlatform, launchChromium, settle } from "./browser.js";
import { deskArea, seedDesk } from "./desk.js";
import { fluxCalReportsArea, seedCal, seedFlux, seedReports } from "./flux-cal-reports.js";
import { startPlatformForConsole } from "./platform.js";

// The console's end-to-end suite, in headless Chromium (Debian's, driven by playwright-core) against
// every service started once, in-process, on the real engines. Each area (desk and EPCI; flux, CAL
// and reports) seeds its own data, side by side from the start, and browses in a context of its own,
// beside the other area: one area's failure does not stop the others. Screenshots go to services/console/.screenshots/.

export interface Shared {
  platform: ConsolePlatform;
  browser: Browser;
  seeds: {
    desk: () => Promise<{ draftId: string }>;
    flux: () => Promise<{ numeros: string[]; ranked: string[] }>;
    cal: () => Promise<void>;
    reports: () => Promise<void>;
  };
}

const shared = {} as Shared;

beforeAll(async () => {
  const [platform, browser] = await Promise.all([startPlatformForConsole(), launchChromium()]);
  shared.platform = platform;
  shared.browser = browser;
  shared.seeds = {
    desk: settle(seedDesk(platform)),
    flux: settle(seedFlux(platform)),
    cal: settle(seedCal(platform)),
    reports: settle(seedReports(platform)),
  };
}, 240_000);

afterAll(async () => {
  await shared.browser?.close();
  await shared.platform?.close();
}, 60_000);

/**
 * The areas run beside each other (concurrent suites), each area's tests in order (a sequential
 * suite inside): the browser and the services wait on Kafka and FerretDB much of the time.
 */
const area = (name: string, define: (shared: Shared) => void) =>
  describe.concurrent(name, () => {
    describe("in order", { concurrent: false }, () => define(shared));
  });

area("desk and EPCI", deskArea);
area("flux, CAL and reports", fluxCalReportsArea);
