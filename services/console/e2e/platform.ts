import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateIssuerKeys } from "@logis/auth";
import { systemClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { createLifecycle, serve, startPlatform } from "@logis/runtime";
import { testServiceEnv, uniqueName } from "@logis/testing";
import { loadReferenceGrid } from "../../cotation/src/adapters/files/reference-data.js";
import { composeCotation, topicsOf as cotationTopics } from "../../cotation/src/compose.js";
import { loadConfig as loadCotationConfig } from "../../cotation/src/config.js";
import { composeFlux, topicsOf as fluxTopics } from "../../flux/src/compose.js";
import { loadConfig as loadFluxConfig } from "../../flux/src/config.js";
import { startRegistration, testConfig } from "../../registration/src/testing/harness.js";
import { prng, syntheticDemand } from "../../registration/src/tools/synthetic.js";
import { loadConfig } from "../src/config.js";
import { startConsole } from "../src/server/app.js";

const consoleDir = fileURLToPath(new URL("..", import.meta.url));

/**
 * What the console's end-to-end tests run against, all in this process: registration and cotation
 * composed by their own compose.ts on the real engines (fresh databases, one topic prefix, so that
 * cotation's projection reads registration's events), and the console's server over the built
 * application, signing tokens with a key pair of its own that both services trust.
 */
export async function startPlatformForConsole() {
  const staticDir = join(consoleDir, "dist/public");
  if (!existsSync(join(staticDir, "index.html")))
    execFileSync("pnpm", ["-s", "build"], { cwd: consoleDir, stdio: "inherit" });

  const keys = await generateIssuerKeys();
  const keysFile = join(mkdtempSync(join(tmpdir(), "logis-console-")), "keys.json");
  writeFileSync(keysFile, JSON.stringify(keys), { mode: 0o600 });
  const topicPrefix = uniqueName("t");

  const regConfig = testConfig(uniqueName("reg"), topicPrefix, keys.publicJwk);
  const reg = await startRegistration(regConfig, { clock: systemClock });
  const regServing = await serve(reg.platform, reg.service.parts, { port: 0, jobs: false });

  const cotConfig = loadCotationConfig(
    testServiceEnv({ database: uniqueName("cot"), topicPrefix, publicJwk: keys.publicJwk }),
  );
  const logger = createLogger({ service: "cotation-e2e", level: cotConfig.LOG_LEVEL });
  const steps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
  const cotPlatform = await startPlatform(steps.lifecycle, {
    service: "cotation",
    config: cotConfig,
    logger,
    ...cotationTopics,
  });
  const cot = await composeCotation(cotPlatform, cotConfig, { clock: systemClock });
  const cotServing = await serve(cotPlatform, cot.parts, { port: 0, jobs: false });

  const fluxConfig = loadFluxConfig(
    testServiceEnv({ database: uniqueName("flux"), topicPrefix, publicJwk: keys.publicJwk }),
  );
  const fluxSteps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
  const fluxPlatform = await startPlatform(fluxSteps.lifecycle, {
    service: "flux",
    config: fluxConfig,
    logger,
    ...fluxTopics,
  });
  const fluxParts = await composeFlux(fluxPlatform, fluxConfig, { clock: systemClock });
  const fluxServing = await serve(fluxPlatform, fluxParts.parts, { port: 0, jobs: false });

  const server = await startConsole({
    ...loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      REGISTRATION_URL: regServing.base,
      COTATION_URL: cotServing.base,
      FLUX_URL: fluxServing.base,
      // Services not started here: the console must leave their pages out.
      CAL_URL: "http://127.0.0.1:9",
      REPORTING_URL: "http://127.0.0.1:9",
      CONSOLE_DEV_ISSUER_KEYS: keysFile,
      CONSOLE_STATIC_DIR: staticDir,
    }),
  });
  const base = `http://127.0.0.1:${server.port}`;

  /** A call to a service through the console, as a demo user (seeding). */
  async function as(
    user: string,
    service: "registration" | "cotation" | "flux",
    method: string,
    path: string,
    body?: unknown,
  ) {
    const { token } = (await (
      await fetch(`${base}/api/dev/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user }),
      })
    ).json()) as { token: string };
    const res = await fetch(`${base}/svc/${service}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** The demo territory in small: synthetic demands in Lyon, the reference grid published, a draft to try. */
  async function seed(count: number) {
    const r = prng(69);
    for (let i = 0; i < count; i++) {
      const demande = syntheticDemand(r);
      const pieces = {
        recues: [
          { piece: "PIECE_IDENTITE", personne: "demandeur" },
          ...(demande.cotitulaire ? [{ piece: "PIECE_IDENTITE", personne: "cotitulaire" }] : []),
          ...(demande.demandeur.nationalite === "3" ? [{ piece: "TITRE_SEJOUR", personne: "demandeur" }] : []),
          ...(demande.cotitulaire?.nationalite === "3" ? [{ piece: "TITRE_SEJOUR", personne: "cotitulaire" }] : []),
        ],
        eeeOuSuisse: [],
      };
      let res = await as("guichet", "registration", "POST", "/v1/demandes", { demande, pieces });
      if (res.status === 409) {
        const candidats =
          (res.body.error as { details?: { candidats: { numeroUnique: string }[] } }).details?.candidats ?? [];
        res = await as("guichet", "registration", "POST", "/v1/demandes", {
          demande,
          pieces,
          doublons: { decision: "distinct", examines: candidats.map((c) => c.numeroUnique) },
        });
      }
      if (res.status !== 201) throw new Error(`seed ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const grid = loadReferenceGrid("synthetique");
    const epci = "200046977";
    const first = await as("epci", "cotation", "POST", "/v1/grilles", {
      epci,
      kind: "unique",
      nom: grid.nom,
      rules: grid.rules,
    });
    const id = first.body.id as string;
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
    cotation: cot,
    async close() {
      await server.close();
      await reg.platform.mongo.dropDatabase().catch(() => undefined);
      await cotPlatform.mongo.dropDatabase().catch(() => undefined);
      await reg.shutdown();
      await fluxPlatform.mongo.dropDatabase().catch(() => undefined);
      await steps.shutdown();
      await fluxSteps.shutdown();
    },
  };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { waitFor };
