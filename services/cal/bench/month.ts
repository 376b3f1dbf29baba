// A month of the CAL (issue 12). Not a test: prints figures and a ratio measured in this one run.
//   pnpm --filter @logis/cal bench:month [units=2000] [landlords=10]
// `units` freed units of `landlords` landlords, three designated candidates each: every proposal
// through the attribution use case (eligibility of each household, the decider, the public event),
// then each landlord's commission planned (its next weekly sessions scheduled, every vacancy placed
// on them), on the memory aggregate stores (in process, the contract of the Mongo ones). Baseline:
// the pure part alone (the eligibility examinations and one planSessions over the same vacancies).
import { demoUsers } from "@logis/auth";
import { manualClock } from "@logis/domain";
import { memoryAggregates } from "@logis/outbox";
import { loadReferentiel } from "../src/adapters/files/reference.js";
import { attributionUseCases } from "../src/app/attributions.js";
import { planningUseCases } from "../src/app/planning.js";
import { type AttributionDoc, type SessionDoc, scopeKey } from "../src/app/ports.js";
import { sessionUseCases } from "../src/app/sessions.js";
import type { Commission } from "../src/domain/commission.js";
import { examineEligibility } from "../src/domain/eligibility.js";
import { planSessions } from "../src/domain/scheduling.js";
import { metzCommission } from "../src/domain/testing/commission.js";
import { family, metzT3 } from "../src/domain/testing/fixtures.js";

const [units = 2_000, landlords = 10] = process.argv.slice(2).map(Number);
const fmt = (n: number, d = 0) => n.toLocaleString("fr-FR", { minimumFractionDigits: d, maximumFractionDigits: d });
const referentiel = loadReferentiel();
const households = [
  family(),
  family((d) => {
    d.demandeur.ressources.mensuelles = [{ type: "SAL", montant: 2600 }];
  }),
  family((d) => {
    d.souhaits.typologies = ["T2", "T3"];
  }),
];

function world() {
  const clock = manualClock("2026-11-02T08:00:00.000Z");
  const attributions = memoryAggregates<AttributionDoc>();
  const sessions = memoryAggregates<SessionDoc>();
  const commissions = memoryAggregates<Commission>();
  const att = attributionUseCases({ attributions, clock, referentiel });
  const ses = sessionUseCases({ commissions, sessions, attributions, attributionUseCases: att, clock });
  const planning = planningUseCases({
    sessions: ses,
    clock,
    referentiel,
    sessionReader: {
      ofCommission: async (id) => [...sessions.docs.values()].filter((s) => s.commissionId === id),
      list: async () => [],
    },
    attributionReader: {
      withOffersUnderWay: async () => [],
      openOf: async () => undefined,
      waitingOf: async (scopes) =>
        new Map(
          scopes.map((s) => [
            scopeKey(s),
            {
              proposed: [...attributions.docs.values()].filter(
                (a) =>
                  a.statut === "proposee" &&
                  a.logement.bailleurId === s.bailleurId &&
                  a.logement.departement === s.departement,
              ),
              awaiting: [],
            },
          ]),
        ),
    },
  });
  return { clock, attributions, sessions, att, ses, planning };
}

const landlordOf = (k: number) => `org_bench_${k % landlords}`;
const unitOf = (k: number) => metzT3({ rplsId: `57${String(k).padStart(8, "0")}`, loyer: 380 + (k % 7) * 20 });

async function month() {
  const w = world();
  const caller = (k: number) => ({
    principal: { ...demoUsers.bailleur57, organisation: { ...demoUsers.bailleur57.organisation, id: landlordOf(k) } },
    correlationId: `cor_${k}`,
    requestId: `req_${k}`,
  });
  for (let l = 0; l < landlords; l++) {
    const { _id, revision: _r, ...fields } = metzCommission;
    await w.ses.changeCommission(caller(l), `com_bench_${l}`, {
      type: "Constitute",
      ...fields,
      id: `com_bench_${l}`,
      bailleurId: landlordOf(l),
      recurrence: { frequence: "hebdomadaire", jour: 4, depuis: "2026-01-08" },
      capacite: 60,
    });
  }
  const started = performance.now();
  for (let k = 0; k < units; k++) {
    const id = `att_57${String(k).padStart(8, "0")}_2026-11-02`;
    await w.att.handle(caller(k), id, {
      type: "ProposeCandidates",
      id,
      bailleurId: landlordOf(k),
      unit: unitOf(k),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_al", codeSne: "COLACT" },
      source: "reservataire",
      candidats: households.map((facts, n) => ({
        demandId: `dem_${k}_${n}`,
        numeroUnique: `057${String(k * 3 + n).padStart(13, "0")}AA`,
        facts,
        justification: "Désigné par le réservataire",
      })),
    });
  }
  const proposedMs = performance.now() - started;
  let placed = 0;
  for (let l = 0; l < landlords; l++) placed += (await w.planning.plan(caller(l), `com_bench_${l}`)).placements.length;
  const totalMs = performance.now() - started;
  return { proposedMs, totalMs, placed, events: w.attributions.published.length + w.sessions.published.length };
}

function baseline() {
  const started = performance.now();
  for (let k = 0; k < units; k++)
    for (const facts of households) examineEligibility(unitOf(k), facts, referentiel, "2026-11-02");
  const slots = Array.from({ length: landlords * 8 }, (_, s) => ({
    sessionId: `ses_${s}`,
    date: `2026-${s % 8 < 4 ? "11" : "12"}-${String(5 + (s % 4) * 7).padStart(2, "0")}`,
    capacite: 60,
    occupes: 0,
  }));
  planSessions(
    Array.from({ length: units }, (_, k) => ({
      attributionId: `att_${k}`,
      libereLe: "2026-11-02",
      pretLe: "2026-11-02",
      coutJour: 13,
    })),
    slots,
  );
  return performance.now() - started;
}

await month(); // warm-up
const runs = [await month(), await month(), await month()].sort((a, b) => a.totalMs - b.totalMs);
const bases = [baseline(), baseline(), baseline()].sort((a, b) => a - b);
const best = runs[0];
if (!best) throw new Error("no run");
console.log(
  `un mois : ${fmt(units)} logements libérés, 3 candidats chacun, ${landlords} bailleurs : proposés en ${fmt(best.proposedMs)} ms, ` +
    `proposés et programmés en ${fmt(best.totalMs)} ms (meilleur de 3 ; médiane ${fmt(runs[1]?.totalMs ?? 0)} ms) — ${fmt(best.placed)} placés, ${fmt(best.events)} événements — cible ≤ 2 000 ms (${best.totalMs <= 2000 ? "tenue" : "NON tenue"})`,
);
console.log(
  `référence (le calcul pur seul : ${fmt(units * 3)} examens d'éligibilité et un planSessions) : ${fmt(bases[0] ?? 0, 1)} ms — rapport ×${fmt(best.totalMs / (bases[0] ?? 1), 1)}`,
);
