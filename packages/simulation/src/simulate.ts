import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { KeyPairJwk } from "@logis/auth";
import { civilDay } from "@logis/domain";
import { pool, SERVICES, type ServiceClient, serviceClient, type Urls } from "./client.js";
import { numeroUniqueOf } from "./interchange.js";
import { planYear } from "./plan.js";
import { guichet57 } from "./principals.js";
import { loadPlafonds, loadReferentiel, loadRegles } from "./reference.js";
import { buildReport, type PhaseFigure, reportHtml, reportText, type YearReport } from "./report.js";
import { driveYear, type PhaseStat } from "./run-year.js";
import { addDays, generateTerritory, sequenceOf, type Taille } from "./territory.js";

export interface SimulationOptions {
  urls: Urls;
  keys: KeyPairJwk;
  graine: number;
  taille: Taille;
  /** The last day of the simulated year; today in Paris by default. */
  fin?: string;
  /** Where the printable report and the run's record go. */
  sortie: string;
  /** Run even when this year was already simulated on these services. */
  forcer?: boolean;
  /** Send the vacancies the CAL can take through it (designation, session, offers, lease); true by default. */
  viaCal?: boolean;
  log?: (line: string) => void;
}

export type SimulationResult = { deja: true; rapport: string } | { deja: false; rapport: string; report: YearReport };

/** Raw round trips to the phase's service /healthz: as many calls as the phase made, at its concurrency. */
async function baseline(client: ServiceClient, p: PhaseStat): Promise<number> {
  const t0 = performance.now();
  await pool(Array.from({ length: p.appels }), p.concurrence, () => client.healthz(p.service));
  return performance.now() - t0;
}

/**
 * Simulates a year of the synthetic Moselle territory through the running services, then writes the
 * printable report and a record of the run beside it. A year already simulated (its record there and
 * its first imported demand known to registration) is not simulated again.
 */
export async function simulateYear(o: SimulationOptions): Promise<SimulationResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  // The year ends with today (Paris), included: the services date what they do today.
  const fin = addDays(o.fin ?? civilDay(new Date()), 1);
  const debut = addDays(fin, -365);
  const t = generateTerritory({
    referentiel: loadReferentiel(),
    plafonds: loadPlafonds(debut),
    graine: o.graine,
    taille: o.taille,
    debut,
    fin,
  });
  const client = serviceClient(o.urls, o.keys);
  const record = `${o.sortie}/annee-${o.taille}-${o.graine}.json`;
  const html = `${o.sortie}/annee-${o.taille}-${o.graine}.html`;

  const down = [];
  for (const s of SERVICES) if (!(await client.ready(s))) down.push(s);
  if (down.length > 0) throw new Error(`services injoignables : ${down.join(", ")} (lancez bash infra/local/up.sh)`);

  const first = t.demandes.find((d) => !d.nouvelle);
  if (!o.forcer && existsSync(record) && first) {
    const previous = JSON.parse(readFileSync(record, "utf8")) as { premierNumero?: string };
    const known = await client.call(guichet57, "registration", "GET", `/v1/demandes/${previous.premierNumero}`);
    if (known.status === 200) {
      log(`Année déjà simulée sur ces services (${record}) : rien à refaire. Rapport : ${html}`);
      return { deja: true, rapport: html };
    }
  }

  log(
    `Simulation d'une année (${o.taille}, graine ${o.graine}) : ${t.demandes.length} demandes, ${t.logements.length} logements, du ${debut} au ${fin}`,
  );
  const plan = planYear(t);
  const t0 = performance.now();
  const year = await driveYear(client, t, plan, log, loadRegles(addDays(fin, -1)), o.viaCal ?? true);
  const dureeTotaleMs = performance.now() - t0;
  log("  Allers-retours HTTP bruts (référence) …");
  const phases: PhaseFigure[] = [];
  for (const p of year.phases) phases.push({ ...p, baselineMs: await baseline(client, p) });
  const report = await buildReport(client, t, plan, year, phases, dureeTotaleMs);
  log(reportText(report));
  mkdirSync(dirname(html), { recursive: true });
  writeFileSync(html, reportHtml(report));
  writeFileSync(
    record,
    `${JSON.stringify({ premierNumero: first ? numeroUniqueOf("57", first.depotLe, sequenceOf(t.taille, t.graine, first.rang)) : undefined, termineLe: new Date().toISOString(), attributions: year.attributions.map((a) => ({ numero: a.numero, rplsId: a.logement.rplsId, contingent: a.contingent })), report }, null, 1)}\n`,
  );
  log(`Rapport imprimable : ${html}`);
  return { deja: false, rapport: html, report };
}
