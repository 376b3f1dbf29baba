import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIssuerKeys, type KeyPairJwk } from "@logis/auth";
import { systemClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { createLifecycle, type Platform, serve, startPlatform } from "@logis/runtime";
import { eventually, testServiceEnv, uniqueName } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { topicsOf as calTopics, composeCal } from "../../../services/cal/src/compose.js";
import { loadConfig as loadCalConfig } from "../../../services/cal/src/config.js";
import { composeCotation, topicsOf as cotationTopics } from "../../../services/cotation/src/compose.js";
import { loadConfig as loadCotationConfig } from "../../../services/cotation/src/config.js";
import { composeFlux, topicsOf as fluxTopics } from "../../../services/flux/src/compose.js";
import { loadConfig as loadFluxConfig } from "../../../services/flux/src/config.js";
import { startRegistration, testConfig } from "../../../services/registration/src/testing/harness.js";
import { composeReporting, topicsOf as reportingTopics } from "../../../services/reporting/src/compose.js";
import { loadConfig as loadReportingConfig } from "../../../services/reporting/src/config.js";
import { serviceClient, type Urls } from "./client.js";
import { epciAgent } from "./grids.js";
import { guichet57, prefecture57 } from "./principals.js";
import { simulateYear } from "./simulate.js";
import { addDays } from "./territory.js";

// A tiny year (50 demands, 100 units) driven through registration, cotation, flux, the CAL and reporting,
// each started in this process by its own compose.ts on the real engines (fresh databases, one
// topic prefix, so that each reads the others' events), trusting one key pair.

let keys: KeyPairJwk;
let urls: Urls;
const closers: (() => Promise<void>)[] = [];
const logger = createLogger({ service: "simulation-test", level: "warn" });

async function inProcess<S extends { parts: Parameters<typeof serve>[1] }>(
  service: string,
  config: Parameters<typeof startPlatform>[1]["config"],
  topicsOf: { produces: readonly string[]; consumes?: readonly string[] },
  compose: (platform: Platform) => Promise<S>,
) {
  const steps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
  const platform = await startPlatform(steps.lifecycle, { service, config, logger, ...topicsOf } as Parameters<
    typeof startPlatform
  >[1]);
  const composed = await compose(platform);
  const serving = await serve(platform, composed.parts, { port: 0, jobs: false });
  closers.push(async () => {
    await platform.mongo.dropDatabase().catch(() => undefined);
    await steps.shutdown();
  });
  return serving.base;
}

beforeAll(async () => {
  keys = await generateIssuerKeys();
  const topicPrefix = uniqueName("t");
  const env = (db: string) => testServiceEnv({ database: uniqueName(db), topicPrefix, publicJwk: keys.publicJwk });
  const reg = await startRegistration(testConfig(uniqueName("reg"), topicPrefix, keys.publicJwk), {
    clock: systemClock,
  });
  const regServing = await serve(reg.platform, reg.service.parts, { port: 0, jobs: false });
  closers.push(async () => {
    await reg.platform.mongo.dropDatabase().catch(() => undefined);
    await reg.shutdown();
  });
  const fluxConfig = loadFluxConfig(env("flux"));
  const flux = await inProcess("flux", fluxConfig, fluxTopics, (p) =>
    composeFlux(p, fluxConfig, { clock: systemClock }),
  );
  const cotationConfig = loadCotationConfig(env("cot"));
  const cotation = await inProcess("cotation", cotationConfig, cotationTopics, (p) =>
    composeCotation(p, cotationConfig, { clock: systemClock }),
  );
  const cal = await inProcess("cal", loadCalConfig(env("cal")), calTopics, (p) =>
    composeCal(p, { clock: systemClock }),
  );
  const reporting = await inProcess("reporting", loadReportingConfig(env("rep")), reportingTopics, (p) =>
    composeReporting(p, { clock: systemClock }),
  );
  urls = { registration: regServing.base, cotation, flux, cal, reporting };
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
}, 60_000);

describe("a simulated year on the real services", () => {
  const sortie = mkdtempSync(join(tmpdir(), "logis-simulation-"));

  it("registers, frees, orients, lets and radiates through the APIs, reports it, and is not run twice", async () => {
    const lines: string[] = [];
    const run = await simulateYear({
      urls,
      keys,
      graine: 5,
      taille: "mini",
      sortie,
      log: (l) => lines.push(l),
    });
    if (run.deja) throw new Error("a fresh platform has no simulated year");
    const { annee, bilans, statistiques, phases } = run.report;

    expect(annee.liberations).toBeGreaterThan(5);
    expect(annee.orientees).toBe(annee.liberations);
    expect(annee.attributions).toBeGreaterThan(0);
    expect(annee.attributions + annee.sansCandidat).toBe(annee.orientees);
    // Some went through the CAL: designation, session, ranked decisions, offers, the lease in the CAL.
    expect(annee.enCal, lines.join("\n")).toBeGreaterThan(0);
    expect(run.report.cal.attributions).toBe(annee.enCal);

    // Each lease is known to the services themselves: the demand radiated for attribution, the unit let.
    const client = serviceClient(urls, keys);
    const record = JSON.parse(readFileSync(join(sortie, "annee-mini-5.json"), "utf8"));
    const attributed = record.attributions as { numero: string; rplsId: string }[];
    expect(attributed).toHaveLength(annee.attributions);
    // A lease signed in the CAL radiates the demand and lets the unit through registration's and
    // flux's consumers of its LeaseSigned: on a loaded machine, a little after the run.
    await eventually(
      async () => {
        for (const a of attributed) {
          const demand = await client.call(guichet57, "registration", "GET", `/v1/demandes/${a.numero}`);
          expect(demand.body.demand?.status ?? demand.body.status, a.numero).toBe("radiated");
          const unit = await client.call(prefecture57, "flux", "GET", `/v1/logements/${a.rplsId}`);
          expect(unit.body.vacance, a.rplsId).toBeNull();
        }
      },
      120_000,
      1_000,
    );
    // flux's balances count every lease to the reserver of its orientation; reporting's statistics see them.
    expect(bilans.flatMap((b) => b.lignes).reduce((s, l) => s + l.attribues, 0)).toBe(annee.attributions);
    if (statistiques?.ensemble?.attributions?.total !== annee.attributions) {
      // reporting's read model may lag behind on a loaded machine: wait for it a while longer.
      await eventually(
        async () => {
          const stats = await client.call(
            prefecture57,
            "reporting",
            "GET",
            `/v1/statistiques/demandes?departement=57&du=${run.report.debut}&au=${addDays(run.report.fin, -1)}`,
          );
          expect(stats.body.ensemble.attributions.total).toBe(annee.attributions);
        },
        120_000,
        1_000,
      );
    }
    // Metz Métropole's grid, published through cotation's API, ranks the préfet's priority publics first.
    const grids = await client.call(
      epciAgent({ siren: "200039865", nom: "Metz Métropole" }),
      "cotation",
      "GET",
      "/v1/grilles?epci=200039865",
    );
    const published = (grids.body as { status: string; nom: string; rules: { rubriques: { code: string }[] } }[]).find(
      (g) => g.status === "published",
    );
    expect(published?.nom).toBe("Grille de cotation de la Moselle (démo) — Metz Métropole");
    expect(published?.rules.rubriques[0]?.code).toBe("PUBLICS_PRIORITAIRES_PREFET");

    // Per landlord: the landlords flux knows let their units through the year, each with its own
    // commission and flux balances; one flux does not know is reported with why, its stock left out.
    const bailleurs = run.report.bailleurs;
    expect(bailleurs.length).toBeGreaterThan(1);
    const presents = bailleurs.filter((b) => !b.absent);
    expect(presents.map((b) => b.id)).toContain("org_demo_bailleur_57");
    for (const b of bailleurs.filter((x) => x.absent)) expect(b.absent).toMatch(/inconnu/);
    expect(presents.reduce((s, b) => s + b.attributions, 0)).toBe(annee.attributions);
    expect(run.report.cal.commissions).toBe(presents.length);
    for (const b of presents) {
      const lines = bilans.filter((x) => x.bailleurId === b.id).flatMap((x) => x.lignes);
      expect(lines.reduce((s, l) => s + l.attribues, 0)).toBe(b.attributions);
    }
    expect(readFileSync(run.rapport, "utf8")).toContain("Par bailleur");

    expect(phases.map((p) => p.nom)).toContain("Inscriptions de l'année");
    for (const p of phases) expect(p.baselineMs).toBeGreaterThanOrEqual(0);
    expect(readFileSync(run.rapport, "utf8")).toContain("Objectifs légaux d'attribution");

    const again = await simulateYear({ urls, keys, graine: 5, taille: "mini", sortie, log: () => {} });
    expect(again.deja).toBe(true);
    expect(existsSync(run.rapport)).toBe(true);
  }, 360_000);
});
