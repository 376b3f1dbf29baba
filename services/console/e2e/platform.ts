import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLocalIssuer, type DemoUser, generateIssuerKeys, type Principal } from "@logis/auth";
import { systemClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import {
  createLifecycle,
  type Platform,
  type PlatformConfig,
  type ServiceParts,
  serve,
  startPlatform,
} from "@logis/runtime";
import { testServiceEnv, uniqueName } from "@logis/testing";
import { cotationRanking } from "../../cal/src/adapters/http/cotation-ranking.js";
import type { Ranking } from "../../cal/src/app/ports.js";
import { topicsOf as calTopics, composeCal } from "../../cal/src/compose.js";
import { loadConfig as loadCalConfig } from "../../cal/src/config.js";
import { loadReferenceGrid } from "../../cotation/src/adapters/files/reference-data.js";
import { composeCotation, topicsOf as cotationTopics } from "../../cotation/src/compose.js";
import { loadConfig as loadCotationConfig } from "../../cotation/src/config.js";
import { composeFlux, topicsOf as fluxTopics } from "../../flux/src/compose.js";
import { loadConfig as loadFluxConfig } from "../../flux/src/config.js";
import { startRegistration, testConfig } from "../../registration/src/testing/harness.js";
import { prng, syntheticDemand } from "../../registration/src/tools/synthetic.js";
import { composeReporting, topicsOf as reportingTopics } from "../../reporting/src/compose.js";
import { loadConfig as loadReportingConfig } from "../../reporting/src/config.js";
import { loadConfig } from "../src/config.js";
import { startConsole } from "../src/server/app.js";

const consoleDir = fileURLToPath(new URL("..", import.meta.url));

type Optional = "cotation" | "flux" | "cal" | "reporting";

/**
 * Whom the CAL calls cotation's ranking as (decision 0011: its own service token in production,
 * COTATION_TOKEN): the CAL's part of the demo territory, Metz Métropole.
 */
const calAccount: Principal = {
  userId: "svc_cal_e2e",
  name: "Service CAL (tests)",
  organisation: { id: "org_logis_cal", kind: "state", name: "Service CAL" },
  roles: ["cal-secretary"],
  territories: { departements: ["57"], epcis: ["200039865"] },
};

/**
 * What the console's end-to-end tests run against, all in this process: registration and the
 * services asked for (all of them by default, started side by side), each composed by its own compose.ts on the real
 * engines (fresh databases, one topic prefix, so that each reads the others' events), and the
 * console's server over the built application, signing tokens with a key pair of its own that every
 * service trusts. Services not started answer nowhere: the console must leave their pages out.
 */
export async function startPlatformForConsole(options: { services?: Optional[] } = {}) {
  const wanted = new Set<Optional>(options.services ?? ["cotation", "flux", "cal", "reporting"]);
  const staticDir = join(consoleDir, "dist/public");
  if (!existsSync(join(staticDir, "index.html")))
    execFileSync("pnpm", ["-s", "build"], { cwd: consoleDir, stdio: "inherit" });

  const keys = await generateIssuerKeys();
  const keysFile = join(mkdtempSync(join(tmpdir(), "logis-console-")), "keys.json");
  writeFileSync(keysFile, JSON.stringify(keys), { mode: 0o600 });
  // The console's own issuer (src/server/app.ts): tokens for principals other than the demo users.
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const topicPrefix = uniqueName("t");
  const logger = createLogger({ service: "console-e2e", level: "warn" });
  const closers: (() => Promise<void>)[] = [];
  const env = (database: string) =>
    testServiceEnv({ database: uniqueName(database), topicPrefix, publicJwk: keys.publicJwk });

  /** One service in-process: its platform, composed parts, served on a free port. */
  async function inProcess<C extends PlatformConfig, S extends { parts: ServiceParts }>(
    service: string,
    config: C,
    topicsOf: { produces: readonly string[]; consumes: readonly string[] },
    compose: (platform: Platform, config: C) => Promise<S>,
  ) {
    const steps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
    const platform = await startPlatform(steps.lifecycle, { service, config, logger, ...topicsOf });
    const composed = await compose(platform, config);
    const serving = await serve(platform, composed.parts, { port: 0, jobs: false });
    closers.push(async () => {
      await platform.mongo.dropDatabase().catch(() => undefined);
      await steps.shutdown();
    });
    return { ...composed, base: serving.base, db: platform.db };
  }

  // The CAL proposes from cotation's ranking over HTTP, as in production; cotation starts beside it,
  // so its address is awaited at the first call.
  let cotationBase: (base: string | undefined) => void = () => undefined;
  const cotationAt = new Promise<string | undefined>((resolve) => {
    cotationBase = resolve;
  });
  const ranking: Ranking = {
    async page(...args) {
      const baseUrl = await cotationAt;
      if (!baseUrl) throw new Error("cotation not started");
      return cotationRanking({ baseUrl, token: () => issuer.issue(calAccount) }).page(...args);
    },
  };

  // The services start side by side (each waits mostly on Kafka's group joins and FerretDB).
  const regConfig = testConfig(uniqueName("reg"), topicPrefix, keys.publicJwk);
  const [regServing, cot, fluxService, calService, reportingService] = await Promise.all([
    (async () => {
      const reg = await startRegistration(regConfig, { clock: systemClock });
      closers.push(async () => {
        await reg.platform.mongo.dropDatabase().catch(() => undefined);
        await reg.shutdown();
      });
      return serve(reg.platform, reg.service.parts, { port: 0, jobs: false });
    })(),
    wanted.has("cotation")
      ? inProcess("cotation", loadCotationConfig(env("cot")), cotationTopics, (p, c) =>
          composeCotation(p, c, { clock: systemClock }),
        ).then((started) => {
          cotationBase(started.base);
          return started;
        })
      : undefined,
    wanted.has("flux")
      ? inProcess("flux", loadFluxConfig(env("flux")), fluxTopics, (p, c) => composeFlux(p, c, { clock: systemClock }))
      : undefined,
    wanted.has("cal")
      ? inProcess("cal", loadCalConfig(env("cal")), calTopics, (p) =>
          composeCal(p, { clock: systemClock, ranking: wanted.has("cotation") ? ranking : undefined }),
        )
      : undefined,
    wanted.has("reporting")
      ? inProcess("reporting", loadReportingConfig(env("rep")), reportingTopics, (p) =>
          composeReporting(p, { clock: systemClock }),
        )
      : undefined,
  ]);

  const nowhere = "http://127.0.0.1:9";
  const server = await startConsole({
    ...loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      REGISTRATION_URL: regServing.base,
      COTATION_URL: cot?.base ?? nowhere,
      FLUX_URL: fluxService?.base ?? nowhere,
      CAL_URL: calService?.base ?? nowhere,
      REPORTING_URL: reportingService?.base ?? nowhere,
      CONSOLE_DEV_ISSUER_KEYS: keysFile,
      CONSOLE_STATIC_DIR: staticDir,
    }),
  });
  const base = `http://127.0.0.1:${server.port}`;

  /**
   * A call to a service through the console, as a demo user (its token from the console's
   * development sign-in) or as another principal (a token of the same issuer).
   */
  async function as(
    user: DemoUser | Principal,
    service: "registration" | "cotation" | "flux" | "cal" | "reporting",
    method: string,
    path: string,
    body?: unknown,
  ) {
    const token =
      typeof user === "string"
        ? (
            (await (
              await fetch(`${base}/api/dev/token`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ user }),
              })
            ).json()) as { token: string }
          ).token
        : await issuer.issue(user);
    const res = await fetch(`${base}/svc/${service}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  /**
   * Synthetic demands in Lyon (drawn from `seed`, then adjusted), registered by the desk (a possible
   * duplicate declared distinct); by `desk` when the demands are made elsewhere.
   */
  async function registerDemands(
    count: number,
    seed = 69,
    adjust: (demande: ReturnType<typeof syntheticDemand>) => void = () => undefined,
    desk: DemoUser | Principal = "guichet",
  ): Promise<string[]> {
    const numeros: string[] = [];
    const r = prng(seed);
    for (let i = 0; i < count; i++) {
      const demande = syntheticDemand(r);
      adjust(demande);
      const pieces = {
        recues: [
          { piece: "PIECE_IDENTITE", personne: "demandeur" },
          ...(demande.cotitulaire ? [{ piece: "PIECE_IDENTITE", personne: "cotitulaire" }] : []),
          ...(demande.demandeur.nationalite === "3" ? [{ piece: "TITRE_SEJOUR", personne: "demandeur" }] : []),
          ...(demande.cotitulaire?.nationalite === "3" ? [{ piece: "TITRE_SEJOUR", personne: "cotitulaire" }] : []),
        ],
        eeeOuSuisse: [],
      };
      let res = await as(desk, "registration", "POST", "/v1/demandes", { demande, pieces });
      if (res.status === 409) {
        const candidats =
          (res.body.error as { details?: { candidats: { numeroUnique: string }[] } }).details?.candidats ?? [];
        res = await as(desk, "registration", "POST", "/v1/demandes", {
          demande,
          pieces,
          doublons: { decision: "distinct", examines: candidats.map((c) => c.numeroUnique) },
        });
      }
      if (res.status !== 201) throw new Error(`seed ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      numeros.push((res.body.demand as { numeroUnique: string }).numeroUnique);
    }
    return numeros;
  }

  /** The demo territory in small: synthetic demands in Lyon, the reference grid published, a draft to try. */
  async function seed(count: number) {
    await registerDemands(count);
    const grid = loadReferenceGrid("synthetique");
    const epci = "200046977";
    const first = await as("epci", "cotation", "POST", "/v1/grilles", {
      epci,
      kind: "unique",
      nom: grid.nom,
      rules: grid.rules,
    });
    const id = first.body.id as string;
    if (!cot) throw new Error("seed: cotation not started");
    await waitFor(() => cot.stock.applied >= count);
    await as("epci", "cotation", "POST", `/v1/grilles/${id}/simulation`, { topN: 10 });
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
    const published = await as("epci", "cotation", "POST", `/v1/grilles/${id}/publication`, { effectiveFrom: today });
    if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
    const rules = structuredClone(grid.rules);
    const first0 = rules.rubriques[0]?.criteres[0];
    if (first0?.points.kind === "fixed") first0.points.points += 100;
    const draft = await as("epci", "cotation", "POST", "/v1/grilles", {
      epci,
      kind: "unique",
      nom: "Grille 2027 (projet)",
      rules,
    });
    if (draft.status !== 201) throw new Error(`draft: ${JSON.stringify(draft.body)}`);
    await cot.scoring.refresh();
    const unit = await as("bailleur57", "flux", "POST", "/v1/logements", {
      rplsId: "5700E2E001",
      idBailleur: "MOS-E2E-1",
      commune: "57463",
      adresse: "12 rue Serpenoise",
      codePostal: "57000",
      qpv: false,
      nbPieces: 3,
      surface: 64.5,
      etage: 2,
      ascenseur: true,
      accessibilite: "accessible",
      anneeConstruction: 1978,
      financement: "PLUS",
      loyer: 412.3,
    });
    if (unit.status >= 300) throw new Error(`unit: ${JSON.stringify(unit.body)}`);
    return { draftId: draft.body.id as string };
  }

  return {
    base,
    seed,
    registerDemands,
    as,
    /** Cotation, when started (seed needs it). */
    get cotation() {
      if (!cot) throw new Error("cotation not started");
      return cot;
    },
    cal: calService,
    reporting: reportingService,
    async close() {
      await server.close();
      for (const close of closers.reverse()) await close();
    },
  };
}

/**
 * Polls until `condition` holds. The e2e areas run side by side (decision 0028), so vitest's
 * `expect.poll` cannot be used in them: it needs the current test, which concurrent tests do not
 * have ("expect.poll() must be called inside a test", in CI).
 */
async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { waitFor };
