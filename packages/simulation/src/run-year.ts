import type { Principal } from "@logis/auth";
import { codeSneOf, type ReservataireKind } from "@logis/contracts";
import { designator, throughCal } from "./cal-path.js";
import { type Answer, phaseCalls, pool, type Service, type ServiceClient } from "./client.js";
import { publishGrids } from "./grids.js";
import { demandsCsv, numeroUniqueOf, unitsCsv } from "./interchange.js";
import { type Contingent, designate, type PlanAnnee, refuse } from "./plan.js";
import { agentOf, guichet57, guichetFor, prefecture57 } from "./principals.js";
import { progressBar, whenIdle } from "./progress.js";
import type { ReglesAttribution } from "./reference.js";
import { addDays, type Demande, type Logement, sequenceOf, type Territoire } from "./territory.js";

/** One phase's figures: wall time, calls made, and the service whose raw round trips are its baseline. */
export interface PhaseStat {
  nom: string;
  service: Service;
  elements: number;
  appels: number;
  dureeMs: number;
  concurrence: number;
  /** What the phase could not do, said plainly (a service without the API, refused calls). */
  notes: string[];
  /** Phases of the same group ran side by side (their wall times overlap). */
  groupe?: number;
}

export interface Attribution {
  demande: Demande;
  numero: string;
  logement: Logement;
  libereLe: string;
  bailSigneLe: string;
  contingent: Contingent;
  reservataireId: string;
  refus: number;
  /** The designated candidates in rank order (those before `demande` refused the offer). */
  candidats: { demande: Demande; numero: string }[];
  /** Through the CAL (designation, session, offers, lease) or directly through registration and flux. */
  voie: "cal" | "directe";
}

export interface YearOutcome {
  phases: PhaseStat[];
  numeros: Map<number, string>;
  attributions: Attribution[];
  sansCandidat: number;
  refus: number;
  radiations: { RADABA: number; RADCON: number };
  renouvelees: number;
  nonRenouvelees: number;
  orientations: Map<string, { contingent: Contingent; reservataireId: string }>;
  /** Landlords whose stock flux refused (unknown to its referential): left out of the year, with why. */
  bailleursAbsents: { id: string; nom: string; raison: string }[];
  /** The EPCIs' cotation grids: published by this run, or already in force. */
  grilles: { publiees: number; deja: number };
  /** Each landlord's commission (by landlord id), the sessions planned, the attributions decided in session. */
  cal: { commissions: Map<string, string>; seances: number; attributions: number; note?: string };
}

const slugOf = (bailleurId: string) => bailleurId.replace(/^org_(sim_|demo_)?/, "");
/** A landlord's commission in the simulation of a seed. */
export const commissionIdOf = (graine: number, bailleurId: string) => `com_sim_57_${graine}_${slugOf(bailleurId)}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Calls in flight per phase: two per desk or landlord agent (each agent has its own rate limit). */
const CONCURRENCE = 8;

/**
 * Drives the planned year through the running services, phase after phase, each with its progress
 * bar: conventions and housing stock (flux), the demand stock (registration's SNE import), the CAL
 * commission and its sessions, the year's registrations, freed units and their orientation (flux),
 * designations, offers, refusals and leases, radiations, renewals.
 */
export async function driveYear(
  client: ServiceClient,
  t: Territoire,
  plan: PlanAnnee,
  log: (s: string) => void,
  /** The CAL's affordability rules, checked before designating (config/plafonds.json). */
  regles?: ReglesAttribution,
  viaCal = true,
): Promise<YearOutcome> {
  const phases: PhaseStat[] = [];
  let groupe = 0;
  let enGroupe = false;
  /**
   * Runs one phase with its progress bar and figures: wall time, the calls it made (counted in its
   * own async context, so that phases side by side do not count each other's), `service` the one
   * whose raw round trips are its baseline.
   */
  async function phase<T>(
    nom: string,
    service: Service,
    total: number,
    concurrence: number,
    fn: (tick: (n?: number) => void, notes: string[]) => Promise<T>,
  ) {
    const bar = progressBar(nom, total);
    const counter = { calls: 0 };
    const t0 = performance.now();
    const notes: string[] = [];
    const stat: PhaseStat = {
      nom,
      service,
      elements: total,
      appels: 0,
      dureeMs: 0,
      concurrence,
      notes,
      ...(enGroupe ? { groupe } : {}),
    };
    // In start order, whatever the order they end in when phases run side by side.
    phases.push(stat);
    const value = await phaseCalls.run(counter, () => fn(bar.tick, notes));
    bar.end();
    stat.appels = counter.calls;
    stat.dureeMs = performance.now() - t0;
    whenIdle(() => {
      for (const n of notes) log(`    ${nom} : ${n}`);
    });
    return value;
  }
  /**
   * Phases that touch different services, or different records of one, run side by side: each keeps
   * its own figures, marked with the group they ran in.
   */
  async function sideBySide(...chains: (() => Promise<unknown>)[]) {
    groupe++;
    enGroupe = true;
    try {
      await Promise.all(chains.map((c) => c()));
    } finally {
      enGroupe = false;
    }
  }
  const out: YearOutcome = {
    phases,
    numeros: new Map(),
    attributions: [],
    sansCandidat: 0,
    refus: 0,
    radiations: { RADABA: 0, RADCON: 0 },
    renouvelees: 0,
    nonRenouvelees: plan.nonRenouvelees.length,
    orientations: new Map(),
    bailleursAbsents: [],
    grilles: { publiees: 0, deja: 0 },
    cal: { commissions: new Map(), seances: 0, attributions: 0 },
  };

  const bailleurById = new Map(t.bailleurs.map((b) => [b.id, b]));
  const bailleurOf = (l: Logement) => bailleurById.get(l.bailleurId) as Territoire["bailleurs"][number];
  const byUnit = new Map(t.logements.map((l) => [l.rplsId, l]));

  // Before anything of the year reaches the services: each EPCI's cotation grid, so that cotation
  // scores the imported stock and the year's registrations on it.
  await phase(
    "Grilles de cotation (EPCI)",
    "cotation",
    t.referentiel.epcis.length,
    t.referentiel.epcis.length,
    async (tick, notes) => {
      out.grilles = await publishGrids(client, t, tick, notes);
    },
  );

  const stock = t.demandes.filter((d) => !d.nouvelle);
  for (const d of stock)
    out.numeros.set(d.rang, numeroUniqueOf("57", d.depotLe, sequenceOf(t.taille, t.graine, d.rang)));
  const nouvelles = t.demandes.filter((d) => d.nouvelle).sort((a, b) => (a.depotLe < b.depotLe ? -1 : 1));
  let presents = t.bailleurs;
  // flux and the CAL (conventions, each landlord's stock, the commissions, the freed units and flux's
  // orientation of each) beside registration (the SNE import of the stock, then the year's
  // registrations at the desks): the designations that follow need both.
  await sideBySide(
    async () => {
      // Each landlord signs its conventions (one agent per landlord, the landlords side by side: flux
      // serialises the signatures of one landlord's set, not those of different landlords).
      await phase(
        "Conventions de réservation",
        "flux",
        t.conventions.length,
        t.bailleurs.length,
        async (tick, notes) => {
          await pool(t.bailleurs, t.bailleurs.length, async (b) => {
            const agent = agentOf(b);
            const existing = await client.call(agent, "flux", "GET", "/v1/conventions?departement=57");
            const signed = new Set(
              existing.status === 200
                ? (existing.body as { reservataire: { id: string } }[]).map((c) => c.reservataire.id)
                : [],
            );
            for (const c of t.conventions.filter((x) => x.bailleurId === b.id)) {
              if (!signed.has(c.id)) {
                const epciCommunes = c.epci
                  ? t.referentiel.communes.filter((x) => x.epci === c.epci).map((x) => x.insee)
                  : [];
                const a = await client.call(agent, "flux", "POST", "/v1/conventions", {
                  reservataire: { id: c.id, nom: c.nom, type: c.type },
                  departement: "57",
                  ...(c.commune ? { commune: c.commune } : {}),
                  conditions: {
                    // An EPCI's share applies to the units of its communes only (a line of the split).
                    pourcentage: c.epci ? 0 : c.pourcentage,
                    fondement: c.fondement,
                    ventilation: c.epci ? [{ communes: epciCommunes, pourcentage: c.pourcentage }] : [],
                    delaiDesignationJours: c.delaiDesignationJours,
                    logementRendu: c.logementRendu,
                    validFrom: t.debut,
                  },
                  signeLe: addDays(t.debut, -15),
                });
                if (a.status !== 201 && a.status !== 409)
                  notes.push(
                    `convention ${b.nom} × ${c.nom} refusée : ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`,
                  );
              }
              tick();
            }
          });
        },
      );

      // Each landlord imports its own stock (RPLS file), the imports side by side. A landlord flux does
      // not know (its referential of landlords) has every line refused: its stock stays out of the year.
      await phase("Patrimoine (import RPLS)", "flux", t.logements.length, t.bailleurs.length, async (tick, notes) => {
        let seen = 0;
        const lus = new Map<string, number>();
        const progress = () => {
          const total = [...lus.values()].reduce((s, v) => s + v, 0);
          if (total > seen) tick(total - seen);
          seen = total;
        };
        await pool(t.bailleurs, t.bailleurs.length, async (b) => {
          const units = t.logements.filter((l) => l.bailleurId === b.id);
          if (units.length === 0) return;
          const agent = agentOf(b);
          const started = await client.must(agent, "flux", "POST", "/v1/imports-patrimoine", unitsCsv(units));
          for (;;) {
            const job = (await client.must(agent, "flux", "GET", `/v1/imports-patrimoine/${started.body.id}`)).body;
            lus.set(b.id, Number(job.progress?.lus ?? 0));
            progress();
            if (job.status !== "running") {
              const p = job.progress ?? {};
              const accepted = Number(p.crees ?? 0) + Number(p.modifies ?? 0) + Number(p.inchanges ?? 0);
              if (job.status !== "done" || accepted === 0) {
                const why = String(job.errors?.[0]?.message ?? job.error ?? `import ${job.status}`);
                out.bailleursAbsents.push({ id: b.id, nom: b.nom, raison: why });
                notes.push(
                  `patrimoine de ${b.nom} refusé par flux (${why}) : ses ${units.length} logements restent hors de l'année`,
                );
              } else if (Number(p.erreurs ?? 0) > 0)
                notes.push(
                  `patrimoine de ${b.nom} : ${p.erreurs} ligne(s) en erreur, ex. ${JSON.stringify(job.errors?.[0])}`,
                );
              break;
            }
            await sleep(250);
          }
        });
        tick(t.logements.length - seen);
      });
      const absents = new Set(out.bailleursAbsents.map((b) => b.id));
      if (absents.size > 0) plan.liberations = plan.liberations.filter((l) => !absents.has(l.logement.bailleurId));
      presents = t.bailleurs.filter((b) => !absents.has(b.id));

      // Each landlord constitutes its commission (CAL) and plans its twelve monthly sessions.
      await phase(
        "Commissions d'attribution (CAL)",
        "cal",
        presents.length * (plan.mois.length + 1),
        presents.length,
        async (tick, notes) => {
          await pool(presents, presents.length, async (b) => {
            const agent = agentOf(b);
            const id = commissionIdOf(t.graine, b.id);
            const membres = [
              { id: "m1", nom: "Présidente de la CAL", qualite: "administrateur", voix: "deliberative" },
              { id: "m2", nom: "Représentant du maire", qualite: "maire", voix: "deliberative" },
              { id: "m3", nom: "Représentant du préfet", qualite: "prefet", voix: "deliberative" },
              {
                id: "m4",
                nom: "Administratrice représentant les locataires",
                qualite: "representant_locataires",
                voix: "deliberative",
              },
            ];
            const constituted = await client.call(agent, "cal", "POST", "/v1/commissions", {
              id,
              bailleurId: b.id,
              departement: "57",
              typeCommission: "CAL",
              membres,
              reglement: {
                version: "1",
                quorum: { fraction: 0.5, minimum: 2 },
                majorite: "exprimes",
                voixPreponderante: "m1",
              },
              mode: "presentiel",
              recurrence: { frequence: "mensuelle", jour: 2, semaine: 2, depuis: t.debut },
              capacite: 200,
            });
            tick();
            if (constituted.status >= 300 && constituted.status !== 409) {
              const note = `commission de ${b.nom} non constituée : ${constituted.status} ${JSON.stringify(constituted.body).slice(0, 300)}`;
              out.cal.note ??= note;
              notes.push(note);
              tick(plan.mois.length);
              return;
            }
            out.cal.commissions.set(b.id, id);
            let refused = "";
            for (const m of plan.mois) {
              const s = await client.call(agent, "cal", "POST", "/v1/seances", {
                id: `ses_sim_${t.graine}_${slugOf(b.id)}_${m.index + 1}`,
                commissionId: id,
                date: addDays(m.debut, 10),
                mode: "presentiel",
              });
              if (s.status === 201 || s.status === 409) out.cal.seances++;
              else refused ||= `séances de ${b.nom} refusées : ${s.status} ${JSON.stringify(s.body).slice(0, 300)}`;
              tick();
            }
            if (refused) {
              out.cal.note ??= refused;
              notes.push(refused);
            }
          });
        },
      );
      await phase("Libérations de logements", "flux", plan.liberations.length, CONCURRENCE, async (tick, notes) => {
        let refused = 0;
        await pool(plan.liberations, CONCURRENCE, async (l, i) => {
          const a = await client.call(
            agentOf(bailleurOf(l.logement), i),
            "flux",
            "POST",
            `/v1/logements/${l.logement.rplsId}/liberation`,
            {
              libereLe: l.libereLe,
              motif: l.motif,
            },
          );
          if (a.status !== 202 && a.status !== 409 && a.status !== 422)
            throw new Error(`libération ${l.logement.rplsId} : ${a.status} ${JSON.stringify(a.body)}`);
          if (a.status === 422 && refused++ < 3)
            notes.push(`libération refusée : ${JSON.stringify(a.body).slice(0, 200)}`);
          tick();
        });
      });

      await phase("Orientations (flux)", "flux", plan.liberations.length, 1, async (tick, notes) => {
        const years = [...new Set(plan.liberations.map((l) => l.libereLe.slice(0, 4)))];
        const wanted = new Set(plan.liberations.map((l) => `${l.logement.rplsId}@${l.libereLe}`));
        // flux orients each freed unit from its own event, one after the other: wait while it progresses.
        let deadline = Date.now() + 90_000;
        let seen = 0;
        for (;;) {
          for (const y of years) {
            // The préfecture reads every landlord's orientations of the département.
            const list = (await client.must(prefecture57, "flux", "GET", `/v1/orientations?departement=57&annee=${y}`))
              .body as {
              id: string;
              cible?: { reservataireId: string; type: ReservataireKind | "bailleur" };
            }[];
            for (const v of list) {
              if (!wanted.has(v.id) || out.orientations.has(v.id)) continue;
              out.orientations.set(v.id, {
                contingent: (v.cible?.type ?? "bailleur") as Contingent,
                reservataireId: v.cible?.reservataireId ?? (byUnit.get(v.id.split("@")[0] ?? "")?.bailleurId as string),
              });
            }
          }
          if (out.orientations.size > seen) {
            tick(out.orientations.size - seen);
            seen = out.orientations.size;
            deadline = Date.now() + 90_000;
          }
          if (out.orientations.size >= wanted.size) break;
          if (Date.now() > deadline) {
            notes.push(
              `${wanted.size - out.orientations.size} logement(s) libéré(s) sans orientation (flux n'a plus avancé pendant 90 s)`,
            );
            break;
          }
          await sleep(500);
        }
      });
    },
    async () => {
      await phase("Stock de demandes (import SNE)", "registration", stock.length, 1, async (tick, notes) => {
        const csv = demandsCsv(stock.map((demande) => ({ demande, numero: out.numeros.get(demande.rang) as string })));
        const started = await client.must(
          guichet57,
          "registration",
          "POST",
          "/v1/imports?format=csv&departement=57",
          csv,
        );
        let seen = 0;
        for (;;) {
          const job = (await client.must(guichet57, "registration", "GET", `/v1/imports/${started.body.id}`)).body;
          const read = Number(job.progress?.read ?? 0);
          if (read > seen) {
            tick(read - seen);
            seen = read;
          }
          if (job.status !== "running") {
            if (job.status !== "done") notes.push(`import du stock : ${job.status} ${job.error ?? ""}`);
            const p = job.progress ?? {};
            notes.push(
              `import du stock : ${p.created ?? 0} créées, ${p.alreadyPresent ?? 0} déjà présentes, ${p.failed ?? 0} en erreur`,
            );
            for (const e of (job.errors ?? []).slice(0, 3)) notes.push(`  ex. ${JSON.stringify(e).slice(0, 300)}`);
            for (const e of job.errors ?? []) {
              const d = stock.find((s) => out.numeros.get(s.rang) === e.numUnique);
              if (d) out.numeros.delete(d.rang);
            }
            break;
          }
          await sleep(300);
        }
      });

      await phase("Inscriptions de l'année", "registration", nouvelles.length, CONCURRENCE, async (tick, notes) => {
        let refused = 0;
        await pool(nouvelles, CONCURRENCE, async (d, i) => {
          const done = await register(client, d, guichetFor(i));
          if ("numero" in done) out.numeros.set(d.rang, done.numero);
          else if (refused++ < 3) notes.push(`inscription refusée (ménage ${d.rang}) : ${done.erreur}`);
          tick();
        });
        if (refused > 0) notes.push(`${refused} inscription(s) refusée(s)`);
      });
    },
  );

  // Designation, CAL decision, offers and their cascade, lease: decided in the order of the freed
  // days over the households present that day; the refusals, leases and radiations go through the APIs.
  const attributed = new Set<number>();
  const exitOn = new Map(plan.sorties.map((s) => [s.demande.rang, s.le]));
  const epciOf = (insee: string) => t.referentiel.communes.find((c) => c.insee === insee)?.epci;
  const refusals: { demande: Demande; numero: string; logement: Logement; le: string }[] = [];
  const directRefusals = new Map<Attribution, typeof refusals>();
  const today = addDays(t.fin, -1);
  for (const l of plan.liberations) {
    const o = out.orientations.get(`${l.logement.rplsId}@${l.libereLe}`);
    if (!o) continue;
    const present = t.demandes.filter((d) => {
      // A household that let its demand lapse is left out: the service has cancelled it.
      if (attributed.has(d.rang) || !out.numeros.has(d.rang) || d.depotLe > l.libereLe || d.renouvelle === false)
        return false;
      const exit = exitOn.get(d.rang);
      return exit === undefined || exit > l.libereLe;
    });
    const { candidats } = designate(o.contingent, l.logement, present, epciOf, l.libereLe, regles);
    let day = addDays(l.libereLe, 14);
    let taken: Demande | undefined;
    const refused: { demande: Demande; numero: string; logement: Logement; le: string }[] = [];
    for (const c of candidats) {
      if (refuse(t.graine, c, l.logement)) {
        refused.push({
          demande: c,
          numero: out.numeros.get(c.rang) as string,
          logement: l.logement,
          le: minDay(day, today),
        });
        day = addDays(day, 10);
        continue;
      }
      taken = c;
      break;
    }
    out.refus += refused.length;
    if (!taken) {
      out.sansCandidat++;
      refusals.push(...refused);
      continue;
    }
    attributed.add(taken.rang);
    const a: Attribution = {
      demande: taken,
      numero: out.numeros.get(taken.rang) as string,
      logement: l.logement,
      libereLe: l.libereLe,
      bailSigneLe: minDay(addDays(day, 21), today),
      contingent: o.contingent,
      reservataireId: o.reservataireId,
      refus: refused.length,
      candidats: candidats.map((c) => ({ demande: c, numero: out.numeros.get(c.rang) as string })),
      voie: "directe",
    };
    out.attributions.push(a);
    directRefusals.set(a, refused);
  }

  // The vacancies the CAL can take (the préfet's contingent, reservers within their deadline): the
  // whole attribution goes through it; any step it refuses sends the vacancy back to the direct way.
  const delaiOf = (id: string) => t.conventions.find((c) => c.id === id)?.delaiDesignationJours;
  const calList = viaCal
    ? out.attributions.flatMap((a) => {
        const who = out.cal.commissions.has(a.logement.bailleurId) ? designator(a, today, delaiOf) : undefined;
        return who ? [{ a, who }] : [];
      })
    : [];
  await phase("CAL : désignations, séance, offres, baux", "cal", calList.length, CONCURRENCE, async (tick, notes) => {
    if (calList.length === 0) return;
    // Each landlord's commission sits on its own units, the commissions side by side; a household
    // is housed once in the year whichever landlord's commission ranks it.
    const taken = new Set(out.attributions.map((a) => a.numero));
    const results = await Promise.all(
      presents.map((b) =>
        throughCal(
          client,
          (a, c) => refuse(t.graine, c.demande, a.logement),
          taken,
          out.cal.commissions.get(b.id) as string,
          agentOf(b),
          `ses_sim_${t.taille}_${t.graine}_${slugOf(b.id)}`,
          today,
          calList.filter((x) => x.a.logement.bailleurId === b.id),
          tick,
        ),
      ),
    );
    const done = results.flatMap((r) => r.done);
    const failed = results.flatMap((r) => r.failed);
    for (const a of done) {
      a.voie = "cal";
      a.bailSigneLe = today;
    }
    out.cal.attributions = done.length;
    if (failed.length > 0)
      notes.push(
        `${failed.length} attribution(s) refusée(s) en CAL, faites directement : ${failed
          .slice(0, 3)
          .map((f) => f.why.trim())
          .join(" ; ")}`,
      );
  });
  for (const a of out.attributions) if (a.voie === "directe") refusals.push(...(directRefusals.get(a) ?? []));
  const direct = out.attributions.filter((a) => a.voie === "directe");

  // The refusals first (a household that refused one unit may take another, whose lease radiates
  // its demand), then the leases outside the CAL, the exits and the renewals side by side: they
  // concern different households.
  await phase("Refus d'offres", "registration", refusals.length, CONCURRENCE, async (tick, notes) => {
    let failed = 0;
    await pool(refusals, CONCURRENCE, async (r, i) => {
      const a = await client.call(guichetFor(i), "registration", "POST", `/v1/demandes/${r.numero}/refus`, {
        refuseLe: r.le,
        logementAdapte: true,
        rplsId: r.logement.rplsId,
        commentaire: "Offre refusée par le candidat (simulation)",
      });
      if (a.status !== 201 && failed++ < 3)
        notes.push(`refus non enregistré : ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
      tick();
    });
  });
  // The households housed this year, whichever candidate the CAL's cascade housed.
  const housed = new Set(out.attributions.map((a) => a.demande.rang));
  const sorties = plan.sorties.filter(
    (s) =>
      !attributed.has(s.demande.rang) &&
      !housed.has(s.demande.rang) &&
      out.numeros.has(s.demande.rang) &&
      s.demande.renouvelle !== false,
  );
  const renewals = plan.renouvellements.filter(
    (d) => !attributed.has(d.rang) && !housed.has(d.rang) && !exitOn.has(d.rang) && out.numeros.has(d.rang),
  );
  await sideBySide(
    async () => {
      await phase("Baux et radiations hors CAL (RADATT)", "flux", direct.length, CONCURRENCE, async (tick, notes) => {
        let failed = 0;
        await pool(direct, CONCURRENCE, async (a, i) => {
          const lease = await client.call(
            agentOf(bailleurOf(a.logement), i),
            "flux",
            "POST",
            `/v1/logements/${a.logement.rplsId}/bail`,
            {
              bailSigneLe: a.bailSigneLe,
            },
          );
          const radiated = await client.call(
            guichetFor(i),
            "registration",
            "POST",
            `/v1/demandes/${a.numero}/radiation`,
            {
              motif: "RADATT",
              attribution: {
                rplsId: a.logement.rplsId,
                contingent: a.contingent === "bailleur" ? "AUCUN" : codeSneOf[a.contingent as ReservataireKind],
                dalo: a.demande.priorite === "dalo",
                accordCollectif: "AUCUN",
                bailleur: a.logement.bailleurId,
              },
            },
          );
          for (const [what, ans] of [
            ["bail", lease],
            ["radiation", radiated],
          ] as [string, Answer][]) {
            if (ans.status >= 300 && ans.status !== 409 && failed++ < 4)
              notes.push(`${what} refusé(e) : ${ans.status} ${JSON.stringify(ans.body).slice(0, 200)}`);
          }
          tick();
        });
      });
    },
    async () => {
      await phase(
        "Radiations (abandon, injoignable)",
        "registration",
        sorties.length,
        CONCURRENCE,
        async (tick, notes) => {
          let failed = 0;
          await pool(sorties, CONCURRENCE, async (s, i) => {
            const a = await client.call(
              guichetFor(i),
              "registration",
              "POST",
              `/v1/demandes/${out.numeros.get(s.demande.rang)}/radiation`,
              { motif: s.motif },
            );
            if (a.status < 300) out.radiations[s.motif]++;
            else if (a.status !== 409 && a.status !== 422 && failed++ < 3)
              notes.push(`radiation refusée : ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
            tick();
          });
        },
      );
    },
    async () => {
      await phase("Renouvellements", "registration", renewals.length, CONCURRENCE, async (tick, notes) => {
        let failed = 0;
        await pool(renewals, CONCURRENCE, async (d, i) => {
          const a = await client.call(
            guichetFor(i),
            "registration",
            "POST",
            `/v1/demandes/${out.numeros.get(d.rang)}/renouvellement`,
          );
          if (a.status < 300) out.renouvelees++;
          else if (failed++ < 3)
            notes.push(`renouvellement refusé : ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
          tick();
        });
      });
    },
  );
  return out;
}

const minDay = (a: string, b: string) => (a < b ? a : b);

/** Registers one household at the desk; a possible duplicate is examined (the same household: kept, else distinct). */
async function register(
  client: ServiceClient,
  d: Demande,
  guichet: Principal,
): Promise<{ numero: string } | { erreur: string }> {
  const adults = [
    { piece: "PIECE_IDENTITE", personne: "demandeur" },
    ...(d.form.cotitulaire ? [{ piece: "PIECE_IDENTITE", personne: "cotitulaire" }] : []),
    ...(d.form.demandeur.nationalite === "3" ? [{ piece: "TITRE_SEJOUR", personne: "demandeur" }] : []),
    ...(d.form.cotitulaire?.nationalite === "3" ? [{ piece: "TITRE_SEJOUR", personne: "cotitulaire" }] : []),
  ];
  const body = { demande: d.form, pieces: { recues: adults } };
  let a = await client.call(guichet, "registration", "POST", "/v1/demandes", body);
  if (a.status === 409) {
    const candidats = (a.body?.error?.details?.candidats ?? []) as {
      numeroUnique: string;
      demandeur: { nom: string; prenom: string; dateNaissance: string };
    }[];
    const p = d.form.demandeur;
    const same = candidats.find(
      (c) =>
        c.demandeur.nom === p.nom && c.demandeur.prenom === p.prenom && c.demandeur.dateNaissance === p.dateNaissance,
    );
    const examines = candidats.map((c) => c.numeroUnique);
    if (examines.length === 0) return { erreur: `409 sans candidat : ${JSON.stringify(a.body).slice(0, 200)}` };
    a = await client.call(guichet, "registration", "POST", "/v1/demandes", {
      ...body,
      doublons: same
        ? { decision: "meme-menage", examines, numeroRetenu: same.numeroUnique }
        : { decision: "distinct", examines },
    });
  }
  if (a.status >= 300) return { erreur: `${a.status} ${JSON.stringify(a.body).slice(0, 240)}` };
  return { numero: a.body?.demand?.numeroUnique as string };
}
