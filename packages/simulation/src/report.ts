import { frenchDate } from "@logis/domain";
import type { ServiceClient } from "./client.js";
import type { PlanAnnee } from "./plan.js";
import { agentOf, prefecture57 } from "./principals.js";
import { firstQuartiles, type QuotaLine, quotas } from "./quotas.js";
import type { PhaseStat, YearOutcome } from "./run-year.js";
import { addDays, daysBetween, type Territoire } from "./territory.js";

/** What the report reads of reporting's statistics (its API's JSON, documented in its OpenAPI). */
export interface Indicateurs {
  actives: number;
  mutation: number;
  nouvelles: number;
  radiations: number;
  attente?: { medianeMois?: number };
  partPrioritaires?: number;
  tension?: number;
  attributions?: { total: number };
}
export interface Statistiques {
  ensemble?: Indicateurs;
  parCommune?: (Indicateurs & { libelle: string })[];
}
interface LigneBilan {
  reservataireId: string;
  du: number;
  orientes: number;
  attribues: number;
  report: number;
}

export interface PhaseFigure extends PhaseStat {
  /** The same number of raw round trips to the phase's service /healthz, same concurrency, in the same run. */
  baselineMs: number;
}

export interface BilanFlux {
  bailleurId: string;
  annee: number;
  fluxBrut?: number;
  lignes: { reservataire: string; du: number; orientes: number; attribues: number; report: number }[];
  note?: string;
}

export interface BilanBailleur {
  id: string;
  nom: string;
  type: string;
  logements: number;
  liberations: number;
  attributions: number;
  enCal: number;
  /** Freed units without a lease this year (no suitable household, or all refused). */
  sansBail: number;
  parContingent: Record<string, number>;
  quotas: QuotaLine[];
  /** Why the landlord's stock stayed out of the year (flux refused it), if it did. */
  absent?: string;
}

export interface YearReport {
  titre: string;
  graine: number;
  taille: string;
  debut: string;
  fin: string;
  territoire: {
    communes: number;
    epcis: number;
    logements: number;
    demandes: number;
    stockInitial: number;
    nouvelles: number;
  };
  annee: {
    liberations: number;
    orientees: number;
    attributions: number;
    /** Of which through the CAL (designation, session, offer, lease in the CAL). */
    enCal: number;
    sansCandidat: number;
    refus: number;
    radiations: { RADABA: number; RADCON: number };
    renouvelees: number;
    nonRenouvelees: number;
    attenteMedianeJours?: number;
    attenteP90Jours?: number;
    parContingent: Record<string, number>;
  };
  quotas: QuotaLine[];
  /** reporting's own statistics for the period, as its API gives them (undefined when it does not answer). */
  statistiques?: Statistiques;
  statistiquesNote?: string;
  /** flux's yearly balances, one per landlord and year. */
  bilans: BilanFlux[];
  bilansNote?: string;
  /** Per landlord: its stock, the year's attributions by contingent, its quotas and its flux balances. */
  bailleurs: BilanBailleur[];
  cal: { commissions: number; seances: number; attributions: number; note?: string };
  phases: PhaseFigure[];
  dureeTotaleMs: number;
}

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? undefined : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p + 0.5))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds the year's report: the simulation's own counts, reporting's statistics and flux's balances through their APIs. */
export async function buildReport(
  client: ServiceClient,
  t: Territoire,
  plan: PlanAnnee,
  y: YearOutcome,
  phases: PhaseFigure[],
  dureeTotaleMs: number,
): Promise<YearReport> {
  const epciOf = (insee: string) => t.referentiel.communes.find((c) => c.insee === insee)?.epci;
  const noms = new Map<string, string>([
    ...t.bailleurs.map((b) => [b.id, `${b.nom} (hors contingent)`] as [string, string]),
    ...t.conventions.map((c) => [c.id, c.nom] as [string, string]),
  ]);
  const waits = y.attributions.map((a) => daysBetween(a.demande.depotLe, a.bailSigneLe)).sort((a, b) => a - b);
  const parContingent: Record<string, number> = {};
  for (const a of y.attributions) parContingent[a.contingent] = (parContingent[a.contingent] ?? 0) + 1;

  // reporting reads the events: wait until its read model shows the attributions made (or give up).
  let statistiques: Statistiques | undefined;
  let statistiquesNote: string | undefined;
  const query = `departement=57&du=${t.debut}&au=${addDays(t.fin, -1)}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const a = await client
      .call(prefecture57, "reporting", "GET", `/v1/statistiques/demandes?${query}`)
      .catch(() => undefined);
    if (a?.status !== 200) {
      statistiquesNote = `reporting ne répond pas (${a?.status ?? "injoignable"})`;
      break;
    }
    statistiques = a.body;
    statistiquesNote = undefined;
    if ((statistiques?.ensemble?.attributions?.total ?? 0) >= y.attributions.length) break;
    if (Date.now() > deadline) {
      statistiquesNote = `reporting montre ${statistiques?.ensemble?.attributions?.total ?? 0} attributions sur ${y.attributions.length} au bout de 90 s (lecture des événements en retard)`;
      break;
    }
    await sleep(1000);
  }

  // flux counts a lease in its ledger from the UnitLet event that follows it: wait until every lease
  // of the year shows as attributed in the orientations (or until flux stops progressing).
  const years = [...new Set(plan.liberations.map((l) => Number(l.libereLe.slice(0, 4))))].sort();
  const leases = new Set(y.attributions.map((a) => `${a.logement.rplsId}@${a.libereLe}`));
  let counted = 0;
  let lastProgress = Date.now();
  while (counted < leases.size && Date.now() - lastProgress < 60_000) {
    let now = 0;
    for (const annee of years) {
      const list = await client.call(prefecture57, "flux", "GET", `/v1/orientations?departement=57&annee=${annee}`);
      if (list.status !== 200) continue;
      now += (list.body as { id: string; attribue: boolean }[]).filter((v) => v.attribue && leases.has(v.id)).length;
    }
    if (now > counted) lastProgress = Date.now();
    counted = now;
    if (counted < leases.size) await sleep(500);
  }

  const bilansNote =
    counted < leases.size
      ? `flux compte ${counted} des ${leases.size} baux de l'année (comptage en retard)`
      : undefined;
  // reporting names communes by their INSEE code: the referential gives their names.
  for (const c of statistiques?.parCommune ?? []) {
    const nom = t.referentiel.communes.find((x) => x.insee === c.libelle)?.nom;
    if (nom) c.libelle = `${nom} (${c.libelle})`;
  }
  const quartiles = firstQuartiles(t.demandes, epciOf);
  const absents = new Map(y.bailleursAbsents.map((b) => [b.id, b.raison]));
  const bilans: BilanFlux[] = [];
  for (const b of t.bailleurs) {
    if (absents.has(b.id)) continue;
    for (const annee of years) {
      const a = await client.call(
        agentOf(b),
        "flux",
        "GET",
        `/v1/bilans?departement=57&annee=${annee}&bailleurId=${b.id}`,
      );
      if (a.status !== 200) {
        bilans.push({ bailleurId: b.id, annee, lignes: [], note: `bilan indisponible : ${a.status}` });
        continue;
      }
      bilans.push({
        bailleurId: b.id,
        annee,
        fluxBrut: a.body.fluxBrut,
        lignes: ((a.body.lignes ?? []) as LigneBilan[]).map((l) => ({
          reservataire: noms.get(l.reservataireId) ?? l.reservataireId,
          du: l.du,
          orientes: l.orientes,
          attribues: l.attribues,
          report: l.report,
        })),
      });
    }
  }
  const bailleurs: BilanBailleur[] = t.bailleurs.map((b) => {
    const own = y.attributions.filter((a) => a.logement.bailleurId === b.id);
    const parContingentB: Record<string, number> = {};
    for (const a of own) parContingentB[a.contingent] = (parContingentB[a.contingent] ?? 0) + 1;
    const liberations = plan.liberations.filter((l) => l.logement.bailleurId === b.id).length;
    const absent = absents.get(b.id);
    return {
      id: b.id,
      nom: b.nom,
      type: b.type,
      logements: t.logements.filter((l) => l.bailleurId === b.id).length,
      liberations,
      attributions: own.length,
      enCal: own.filter((a) => a.voie === "cal").length,
      sansBail: Math.max(0, liberations - own.length),
      parContingent: parContingentB,
      quotas: quotas(own, quartiles, epciOf, (id) => noms.get(id) ?? id),
      ...(absent ? { absent } : {}),
    };
  });

  return {
    titre: `Année simulée du territoire de démonstration de la Moselle, du ${frenchDate(t.debut)} au ${frenchDate(addDays(t.fin, -1))}`,
    graine: t.graine,
    taille: t.taille,
    debut: t.debut,
    fin: t.fin,
    territoire: {
      communes: t.referentiel.communes.length,
      epcis: t.referentiel.epcis.length,
      logements: t.logements.length,
      demandes: t.demandes.length,
      stockInitial: t.demandes.filter((d) => !d.nouvelle).length,
      nouvelles: t.demandes.filter((d) => d.nouvelle).length,
    },
    annee: {
      liberations: plan.liberations.length,
      orientees: y.orientations.size,
      attributions: y.attributions.length,
      enCal: y.attributions.filter((a) => a.voie === "cal").length,
      sansCandidat: y.sansCandidat,
      refus: y.refus,
      radiations: y.radiations,
      renouvelees: y.renouvelees,
      nonRenouvelees: y.nonRenouvelees,
      ...(waits.length ? { attenteMedianeJours: pct(waits, 0.5), attenteP90Jours: pct(waits, 0.9) } : {}),
      parContingent,
    },
    quotas: quotas(y.attributions, quartiles, epciOf, (id) => noms.get(id) ?? id),
    ...(statistiques ? { statistiques } : {}),
    ...(statistiquesNote ? { statistiquesNote } : {}),
    bilans,
    ...(bilansNote ? { bilansNote } : {}),
    bailleurs,
    cal: {
      commissions: y.cal.commissions.size,
      seances: y.cal.seances,
      attributions: y.cal.attributions,
      ...(y.cal.note ? { note: y.cal.note } : {}),
    },
    phases,
    dureeTotaleMs,
  };
}

const n = (v: number | undefined, digits = 0) =>
  v === undefined ? "—" : v.toLocaleString("fr-FR", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const CONTINGENTS: Record<string, string> = {
  prefet_prioritaires: "Préfet (publics prioritaires)",
  prefet_agents: "Préfet (agents de l'État)",
  action_logement: "Action Logement",
  commune: "Commune",
  epci: "EPCI",
  bailleur: "Bailleur (hors contingent)",
};

/** The report as French text for the terminal. */
export function reportText(r: YearReport): string {
  const s = r.statistiques?.ensemble;
  const lines = [
    "",
    r.titre,
    `  graine ${r.graine}, taille ${r.taille} : ${n(r.territoire.communes)} communes de ${r.territoire.epcis} EPCI, ${n(r.territoire.logements)} logements, ${n(r.territoire.demandes)} demandes (${n(r.territoire.stockInitial)} en stock au début, ${n(r.territoire.nouvelles)} nouvelles)`,
    "",
    "Stock et demande (service reporting)",
    s
      ? `  demandes actives en fin d'année : ${n(s.actives)} (dont mutations ${n(s.mutation)}) ; nouvelles ${n(s.nouvelles)} ; radiations ${n(s.radiations)} ; attente médiane des actives ${n(s.attente?.medianeMois, 1)} mois ; ménages prioritaires ${n(s.partPrioritaires, 1)} % ; tension ${n(s.tension, 1)} demandes par attribution`
      : `  ${r.statistiquesNote ?? "indisponible"}`,
    ...(s && r.statistiquesNote ? [`  (${r.statistiquesNote})`] : []),
    "",
    "Attributions de l'année (simulation)",
    `  logements libérés ${n(r.annee.liberations)}, orientés par flux ${n(r.annee.orientees)} ; baux signés ${n(r.annee.attributions)} (dont ${n(r.annee.enCal)} passés en CAL) ; sans candidat ${n(r.annee.sansCandidat)} ; refus d'offres ${n(r.annee.refus)}`,
    `  attente des ménages logés : médiane ${n(r.annee.attenteMedianeJours)} jours, 9e décile ${n(r.annee.attenteP90Jours)} jours`,
    `  par contingent : ${
      Object.entries(r.annee.parContingent)
        .map(([k, v]) => `${CONTINGENTS[k] ?? k} ${v}`)
        .join(", ") || "—"
    }`,
    `  radiations : abandon ${r.annee.radiations.RADABA}, injoignable ${r.annee.radiations.RADCON} ; renouvellements ${r.annee.renouvelees}, non renouvelées ${r.annee.nonRenouvelees} (annulées par l'échéancier du service à leur échéance réelle)`,
    "",
    "Objectifs légaux d'attribution",
    ...r.quotas.map(
      (q) =>
        `  ${q.atteint === undefined ? "·" : q.atteint ? "✔" : "✘"} ${q.libelle} : ${n(q.part, 1)} % (${q.numerateur}/${q.denominateur}), objectif ${q.cible} %`,
    ),
    "",
    "Par bailleur (attributions de la simulation, bilans du flux du service flux)",
    ...(r.bilansNote ? [`  (${r.bilansNote})`] : []),
    ...r.bailleurs.flatMap((b) => [
      `  ${b.nom} (${b.type}) : ${n(b.logements)} logements${
        b.absent
          ? ` hors de l'année, refusés par flux : « ${b.absent} »`
          : ` ; libérés ${n(b.liberations)}, baux ${n(b.attributions)} (dont ${n(b.enCal)} en CAL), sans bail ${n(b.sansBail)}`
      }`,
      ...(b.absent
        ? []
        : [
            `    par contingent : ${
              Object.entries(b.parContingent)
                .map(([k, v]) => `${CONTINGENTS[k] ?? k} ${v}`)
                .join(", ") || "—"
            }`,
            ...b.quotas.map(
              (q) =>
                `    ${q.atteint === undefined ? "·" : q.atteint ? "✔" : "✘"} ${q.libelle} : ${n(q.part, 1)} % (${q.numerateur}/${q.denominateur}), objectif ${q.cible} %`,
            ),
            ...r.bilans
              .filter((x) => x.bailleurId === b.id)
              .flatMap((x) => [
                `    flux ${x.annee} : ${x.note ?? `flux brut ${n(x.fluxBrut)}`}`,
                ...x.lignes.map(
                  (l) =>
                    `      ${l.reservataire} : dû ${n(l.du, 1)}, orientés ${l.orientes}, attribués ${l.attribues}, report ${n(l.report, 1)}`,
                ),
              ]),
          ]),
    ]),
    "",
    `CAL : ${r.cal.commissions} commission(s) (une par bailleur), ${r.cal.seances} séance(s) mensuelle(s) programmée(s), ${r.cal.attributions} attribution(s) décidée(s) en séance ce jour${r.cal.note ? ` ; ${r.cal.note}` : ""}`,
    "",
    "Temps par phase (contre les mêmes allers-retours HTTP bruts vers /healthz, même concurrence)",
    ...r.phases.map(
      (p) =>
        `  ${p.groupe ? `∥${p.groupe}` : "  "} ${p.nom.padEnd(40)} ${n(p.dureeMs / 1000, 1).padStart(7)} s  ${String(p.appels).padStart(6)} appels  ${n(p.elements / Math.max(p.dureeMs / 1000, 0.001), 1).padStart(8)} él./s  brut ${n(p.baselineMs / 1000, 2).padStart(6)} s  ×${n(p.dureeMs / Math.max(p.baselineMs, 0.001), 1)}`,
    ),
    `  durée totale ${n(r.dureeTotaleMs / 1000, 1)} s (les phases marquées ∥ du même numéro ont tourné côte à côte : leurs durées se recouvrent)`,
  ];
  return `${lines.join("\n")}\n`;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
const bar = (value: number, max: number) =>
  `<span class="bar" style="width:${max === 0 ? 0 : Math.round((value / max) * 100)}%"></span>`;

/** The printable report (one HTML page, no script, charts as CSS bars). */
export function reportHtml(r: YearReport): string {
  const s = r.statistiques?.ensemble;
  const contingents = Object.entries(r.annee.parContingent);
  const maxC = Math.max(0, ...contingents.map(([, v]) => v));
  const communes = (r.statistiques?.parCommune ?? [])
    .slice()
    .sort((a, b) => b.actives - a.actives)
    .slice(0, 15);
  const maxCommune = Math.max(0, ...communes.map((c) => c.actives));
  const row = (cells: (string | number)[]) =>
    `<tr>${cells.map((c) => `<td>${typeof c === "number" ? n(c) : c}</td>`).join("")}</tr>`;
  const quotaRow = (q: QuotaLine) =>
    row([
      esc(q.libelle),
      `${n(q.part, 1)} % (${q.numerateur}/${q.denominateur})`,
      `${q.cible} %`,
      q.atteint === undefined ? "—" : q.atteint ? '<span class="ok">oui</span>' : '<span class="ko">non</span>',
    ]);
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${esc(r.titre)}</title>
<style>
body{font-family:Marianne,Arial,sans-serif;margin:2rem;color:#161616;max-width:60rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;font-size:.9rem}
th{background:#f6f6f6}.bar{display:inline-block;height:.8rem;background:#000091}.ok{color:#18753c}.ko{color:#ce0500}
@media print{body{margin:0}h2{break-after:avoid}table{break-inside:avoid}}
</style></head><body>
<h1>${esc(r.titre)}</h1>
<p>Graine ${r.graine}, taille « ${esc(r.taille)} » : ${n(r.territoire.communes)} communes de ${r.territoire.epcis} EPCI, ${n(r.territoire.logements)} logements, ${n(r.territoire.demandes)} demandes (${n(r.territoire.stockInitial)} en stock au ${frenchDate(r.debut)}, ${n(r.territoire.nouvelles)} nouvelles dans l'année).</p>
<h2>Stock et demande</h2>
<p>Statistiques du service reporting pour toute la Moselle sur l'année (ce que les services ont reçu, simulation comprise).</p>
${s ? `<table><tr><th>Demandes actives en fin d'année</th><th>dont mutations</th><th>Nouvelles</th><th>Radiations</th><th>Attente médiane des actives</th><th>Ménages prioritaires</th><th>Tension</th></tr>${row([s.actives, s.mutation, s.nouvelles, s.radiations, `${n(s.attente?.medianeMois, 1)} mois`, `${n(s.partPrioritaires, 1)} %`, n(s.tension, 1)])}</table>` : `<p>${esc(r.statistiquesNote ?? "Statistiques indisponibles")}</p>`}
${s && r.statistiquesNote ? `<p>${esc(r.statistiquesNote)}</p>` : ""}
${communes.length ? `<table><tr><th>Commune</th><th>Demandes actives</th><th></th><th>Attributions</th></tr>${communes.map((c) => row([esc(String(c.libelle)), c.actives, bar(c.actives, maxCommune), c.attributions?.total ?? 0])).join("")}</table>` : ""}
<h2>Attributions de l'année</h2>
<table><tr><th>Logements libérés</th><th>Orientés</th><th>Baux signés</th><th>dont en CAL</th><th>Sans candidat</th><th>Refus d'offres</th><th>Attente médiane</th><th>9e décile</th></tr>
${row([r.annee.liberations, r.annee.orientees, r.annee.attributions, r.annee.enCal, r.annee.sansCandidat, r.annee.refus, `${n(r.annee.attenteMedianeJours)} j`, `${n(r.annee.attenteP90Jours)} j`])}</table>
<table><tr><th>Contingent</th><th>Attributions</th><th></th></tr>${contingents.map(([k, v]) => row([esc(CONTINGENTS[k] ?? k), v, bar(v, maxC)])).join("")}</table>
<p>Radiations : abandon ${r.annee.radiations.RADABA}, injoignable ${r.annee.radiations.RADCON}. Renouvellements ${r.annee.renouvelees} ; non renouvelées ${r.annee.nonRenouvelees}.</p>
<h2>Objectifs légaux d'attribution</h2>
<table><tr><th>Objectif</th><th>Part</th><th>Cible</th><th>Atteint</th></tr>${r.quotas.map(quotaRow).join("")}</table>
<h2>Par bailleur</h2>
<p>Attributions et objectifs légaux d'après la simulation ; bilans du flux tels que le service flux les calcule.${r.bilansNote ? ` ${esc(r.bilansNote)}.` : ""}</p>
<table><tr><th>Bailleur</th><th>Type</th><th>Logements</th><th>Libérés</th><th>Baux</th><th>dont en CAL</th><th>Sans bail</th></tr>${r.bailleurs.map((b) => row([esc(b.nom), b.type, b.logements, b.absent ? "—" : b.liberations, b.absent ? "—" : b.attributions, b.absent ? "—" : b.enCal, b.absent ? "—" : b.sansBail])).join("")}</table>
${r.bailleurs
  .map((b) =>
    b.absent
      ? `<h3>${esc(b.nom)} (${b.type})</h3><p>Patrimoine hors de l'année, refusé par flux : « ${esc(b.absent)} »</p>`
      : `<h3>${esc(b.nom)} (${b.type})</h3>
<table><tr><th>Contingent</th><th>Attributions</th></tr>${Object.entries(b.parContingent)
          .map(([k, v]) => row([esc(CONTINGENTS[k] ?? k), v]))
          .join("")}</table>
<table><tr><th>Objectif</th><th>Part</th><th>Cible</th><th>Atteint</th></tr>${b.quotas.map(quotaRow).join("")}</table>
${r.bilans
  .filter((x) => x.bailleurId === b.id)
  .map((x) =>
    x.note
      ? `<p>Flux ${x.annee} : ${esc(x.note)}</p>`
      : `<p>Flux ${x.annee} : flux brut ${n(x.fluxBrut)}</p><table><tr><th>Réservataire</th><th>Dû</th><th>Orientés</th><th>Attribués</th><th>Report</th></tr>${x.lignes.map((l) => row([esc(l.reservataire), n(l.du, 1), l.orientes, l.attribues, n(l.report, 1)])).join("")}</table>`,
  )
  .join("")}`,
  )
  .join("\n")}
<h2>Temps par phase</h2>
<table><tr><th>Phase</th><th>Durée</th><th>Appels</th><th>Éléments/s</th><th>Allers-retours bruts</th><th>Rapport</th></tr>
${r.phases.map((p) => row([`${esc(p.nom)}${p.groupe ? ` (∥${p.groupe})` : ""}`, `${n(p.dureeMs / 1000, 1)} s`, p.appels, n(p.elements / Math.max(p.dureeMs / 1000, 0.001), 1), `${n(p.baselineMs / 1000, 2)} s`, `×${n(p.dureeMs / Math.max(p.baselineMs, 0.001), 1)}`])).join("")}</table>
<p>Durée totale : ${n(r.dureeTotaleMs / 1000, 1)} s. Les phases marquées ∥ du même numéro ont tourné côte à côte (leurs durées se recouvrent) ; les allers-retours bruts vers <code>/healthz</code> du service de chaque phase, autant et à la même concurrence, sont mesurés dans la même exécution.</p>
</body></html>
`;
}
