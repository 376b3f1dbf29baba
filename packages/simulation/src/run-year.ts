import type { Principal } from "@logis/auth";
import { codeSneOf, type ReservataireKind } from "@logis/contracts";
import { designator, throughCal } from "./cal-path.js";
import { type Answer, pool, type Service, type ServiceClient } from "./client.js";
import { demandsCsv, numeroUniqueOf, unitsCsv } from "./interchange.js";
import { type Contingent, designate, type PlanAnnee, refuse } from "./plan.js";
import { bailleur57, bailleurFor, guichet57, guichetFor } from "./principals.js";
import { progressBar } from "./progress.js";
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
  cal: { commission?: string; seances: number; attributions: number; note?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CONCURRENCE = 4;

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
  async function phase<T>(
    nom: string,
    service: Service,
    total: number,
    concurrence: number,
    fn: (tick: (n?: number) => void, notes: string[]) => Promise<T>,
  ) {
    const bar = progressBar(nom, total);
    const before = client.meter.calls;
    const t0 = performance.now();
    const notes: string[] = [];
    const value = await fn(bar.tick, notes);
    bar.end();
    phases.push({
      nom,
      service,
      elements: total,
      appels: client.meter.calls - before,
      dureeMs: performance.now() - t0,
      concurrence,
      notes,
    });
    for (const n of notes) log(`    ${n}`);
    return value;
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
    cal: { seances: 0, attributions: 0 },
  };

  await phase("Conventions de réservation", "flux", t.conventions.length, 1, async (tick, notes) => {
    const existing = (await client.must(bailleur57, "flux", "GET", "/v1/conventions?departement=57")).body as {
      reservataire: { id: string };
    }[];
    const signed = new Set(existing.map((c) => c.reservataire.id));
    for (const c of t.conventions) {
      if (!signed.has(c.id)) {
        const a = await client.call(bailleur57, "flux", "POST", "/v1/conventions", {
          reservataire: { id: c.id, nom: c.nom, type: c.type },
          departement: "57",
          ...(c.commune ? { commune: c.commune } : {}),
          conditions: {
            pourcentage: c.pourcentage,
            fondement: c.fondement,
            ventilation: [],
            delaiDesignationJours: c.delaiDesignationJours,
            logementRendu: c.logementRendu,
            validFrom: t.debut,
          },
          signeLe: addDays(t.debut, -15),
        });
        if (a.status !== 201 && a.status !== 409)
          notes.push(`convention ${c.nom} refusée : ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
      }
      tick();
    }
  });

  await phase("Patrimoine (import RPLS)", "flux", t.logements.length, 1, async (tick, notes) => {
    const started = await client.must(bailleur57, "flux", "POST", "/v1/imports-patrimoine", unitsCsv(t.logements));
    let seen = 0;
    for (;;) {
      const job = (await client.must(bailleur57, "flux", "GET", `/v1/imports-patrimoine/${started.body.id}`)).body;
      const lus = Number(job.progress?.lus ?? 0);
      if (lus > seen) {
        tick(lus - seen);
        seen = lus;
      }
      if (job.status !== "running") {
        if (job.status !== "done") notes.push(`import du patrimoine : ${job.status} ${job.error ?? ""}`);
        if (Number(job.progress?.erreurs ?? 0) > 0)
          notes.push(
            `import du patrimoine : ${job.progress.erreurs} ligne(s) en erreur, ex. ${JSON.stringify(job.errors?.[0])}`,
          );
        break;
      }
      await sleep(250);
    }
  });

  const stock = t.demandes.filter((d) => !d.nouvelle);
  for (const d of stock)
    out.numeros.set(d.rang, numeroUniqueOf("57", d.depotLe, sequenceOf(t.taille, t.graine, d.rang)));
  await phase("Stock de demandes (import SNE)", "registration", stock.length, 1, async (tick, notes) => {
    const csv = demandsCsv(stock.map((demande) => ({ demande, numero: out.numeros.get(demande.rang) as string })));
    const started = await client.must(guichet57, "registration", "POST", "/v1/imports?format=csv&departement=57", csv);
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

  await phase("Commission d'attribution (CAL)", "cal", plan.mois.length + 1, 1, async (tick, notes) => {
    const id = `com_sim_57_${t.graine}`;
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
    const constituted = await client.call(bailleur57, "cal", "POST", "/v1/commissions", {
      id,
      bailleurId: bailleur57.organisation.id,
      departement: "57",
      typeCommission: "CAL",
      membres,
      reglement: { version: "1", quorum: { fraction: 0.5, minimum: 2 }, majorite: "exprimes", voixPreponderante: "m1" },
      mode: "presentiel",
      recurrence: { frequence: "mensuelle", jour: 2, semaine: 2, depuis: t.debut },
      capacite: 200,
    });
    tick();
    if (constituted.status >= 300 && constituted.status !== 409) {
      out.cal.note = `commission non constituée : ${constituted.status} ${JSON.stringify(constituted.body).slice(0, 300)}`;
      notes.push(out.cal.note);
      return;
    }
    out.cal.commission = id;
    for (const m of plan.mois) {
      const s = await client.call(bailleur57, "cal", "POST", "/v1/seances", {
        id: `ses_sim_${t.graine}_${m.index + 1}`,
        commissionId: id,
        date: addDays(m.debut, 10),
        mode: "presentiel",
      });
      if (s.status === 201 || s.status === 409) out.cal.seances++;
      else if (!out.cal.note) out.cal.note = `séances refusées : ${s.status} ${JSON.stringify(s.body).slice(0, 300)}`;
      tick();
    }
    if (out.cal.note) notes.push(out.cal.note);
  });

  const nouvelles = t.demandes.filter((d) => d.nouvelle).sort((a, b) => (a.depotLe < b.depotLe ? -1 : 1));
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

  await phase("Libérations de logements", "flux", plan.liberations.length, CONCURRENCE, async (tick, notes) => {
    let refused = 0;
    await pool(plan.liberations, CONCURRENCE, async (l, i) => {
      const a = await client.call(bailleurFor(i), "flux", "POST", `/v1/logements/${l.logement.rplsId}/liberation`, {
        libereLe: l.libereLe,
        motif: l.motif,
      });
      if (a.status !== 202 && a.status !== 409 && a.status !== 422)
        throw new Error(`libération ${l.logement.rplsId} : ${a.status} ${JSON.stringify(a.body)}`);
      if (a.status === 422 && refused++ < 3) notes.push(`libération refusée : ${JSON.stringify(a.body).slice(0, 200)}`);
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
        const list = (await client.must(bailleur57, "flux", "GET", `/v1/orientations?departement=57&annee=${y}`))
          .body as {
          id: string;
          cible?: { reservataireId: string; type: ReservataireKind | "bailleur" };
        }[];
        for (const v of list) {
          if (!wanted.has(v.id) || out.orientations.has(v.id)) continue;
          out.orientations.set(v.id, {
            contingent: (v.cible?.type ?? "bailleur") as Contingent,
            reservataireId: v.cible?.reservataireId ?? bailleur57.organisation.id,
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
  const calList =
    viaCal && out.cal.commission
      ? out.attributions.flatMap((a) => {
          const who = designator(a, today, delaiOf);
          return who ? [{ a, who }] : [];
        })
      : [];
  await phase("CAL : désignations, séance, offres, baux", "cal", calList.length, CONCURRENCE, async (tick, notes) => {
    if (!out.cal.commission || calList.length === 0) return;
    const { done, failed } = await throughCal(
      client,
      (a, c) => refuse(t.graine, c.demande, a.logement),
      out.attributions.map((a) => a.numero),
      out.cal.commission,
      `ses_sim_${t.taille}_${t.graine}`,
      today,
      calList,
      tick,
    );
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

  await phase("Baux et radiations hors CAL (RADATT)", "flux", direct.length, CONCURRENCE, async (tick, notes) => {
    let failed = 0;
    await pool(direct, CONCURRENCE, async (a, i) => {
      const lease = await client.call(bailleurFor(i), "flux", "POST", `/v1/logements/${a.logement.rplsId}/bail`, {
        bailSigneLe: a.bailSigneLe,
      });
      const radiated = await client.call(guichetFor(i), "registration", "POST", `/v1/demandes/${a.numero}/radiation`, {
        motif: "RADATT",
        attribution: {
          rplsId: a.logement.rplsId,
          contingent: a.contingent === "bailleur" ? "AUCUN" : codeSneOf[a.contingent as ReservataireKind],
          dalo: a.demande.priorite === "dalo",
          accordCollectif: "AUCUN",
          bailleur: a.logement.bailleurId,
        },
      });
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

  const sorties = plan.sorties.filter(
    (s) => !attributed.has(s.demande.rang) && out.numeros.has(s.demande.rang) && s.demande.renouvelle !== false,
  );
  await phase("Radiations (abandon, injoignable)", "registration", sorties.length, CONCURRENCE, async (tick, notes) => {
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
  });

  const renewals = plan.renouvellements.filter(
    (d) => !attributed.has(d.rang) && !exitOn.has(d.rang) && out.numeros.has(d.rang),
  );
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
      else if (failed++ < 3) notes.push(`renouvellement refusé : ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
      tick();
    });
  });
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
