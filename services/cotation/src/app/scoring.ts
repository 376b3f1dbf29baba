import { assertCan, assertInEpci, type Principal } from "@logis/auth";
import type { GridKind } from "@logis/contracts";
import { AppError, type Clock, civilDay } from "@logis/domain";
import { z } from "zod";
import type { ScoredCriterion } from "../domain/evaluate.js";
import { temporalFacts } from "../domain/facts.js";
import type { GridVersion } from "../domain/grid-version.js";
import { type RankedPopulation, rankInSlices } from "../engine/classement.js";
import { type CompiledGrid, compileGrid, epciLookup, scoreRows } from "../engine/compile.js";
import { explainRow } from "../engine/explain.js";
import { type Explanation, explainDemand } from "../engine/explanation.js";
import { INLINE_COMMUNES, Status } from "../engine/projection.js";
import { decileOf, type Ranking, rankAll } from "../engine/rank.js";
import { type Simulation, simulate } from "../engine/simulate.js";
import type { GridStore } from "./grids.js";
import type { Stock } from "./stock.js";

// Scores on demand from the in-memory stock: the effective published grid of each EPCI the demand
// wishes to live in, its rank, its explanation, its position among similar demands and the waiting
// time observed for them (R441-2-17).

export const SimulateInput = z.object({
  topN: z.number().int().min(1).max(1000).default(50),
  asOf: z.iso.date().optional(),
});

/** The CAL's prefilter of one unit and the page wanted (GET /v1/epcis/:epci/classement). */
export const ClassementInput = z.object({
  commune: z
    .string()
    .regex(/^(\d{5}|2[AB]\d{3})$/, "code INSEE de commune attendu (5 caractères)")
    .optional(),
  typologie: z.enum(["T1", "T2", "T3", "T4", "T5", "T6P"], { error: "typologie attendue : T1…T5 ou T6P" }).optional(),
  personnesMax: z.coerce.number().int().min(1, "personnesMax : au moins 1").max(40).optional(),
  nonAdapte: z
    .enum(["true", "false"], { error: "nonAdapte : true ou false" })
    .transform((v) => v === "true")
    .optional(),
  coutMensuel: z.coerce.number().min(0, "coutMensuel : positif").max(100_000).optional(),
  tauxEffortMax: z.coerce
    .number()
    .gt(0, "tauxEffortMax : entre 0 et 1")
    .max(1, "tauxEffortMax : entre 0 et 1")
    .optional(),
  plafonds: z
    .string()
    .regex(
      /^\d{1,9}(,\d{1,9}){5}$/,
      "plafonds : six montants annuels en euros séparés par des virgules (catégories 1 à 6)",
    )
    .transform((v) => v.split(",").map(Number))
    .optional(),
  plafondParPersonneSupplementaire: z.coerce
    .number({ error: "plafondParPersonneSupplementaire : nombre attendu" })
    .min(0, "plafondParPersonneSupplementaire : positif")
    .max(1_000_000)
    .optional(),
  after: z.coerce.number().int().min(0, "after : rang positif").default(0),
  n: z.coerce.number().int().min(1, "n : au moins 1").max(500, "n : au plus 500").default(30),
  date: z.iso.date({ error: "date attendue (AAAA-MM-JJ)" }).optional(),
});
export type ClassementInput = z.infer<typeof ClassementInput>;

export interface CachedRanking {
  at: number;
  asOf: string;
  rows: Uint32Array;
  scores: Float64Array;
  met0: Uint32Array;
  met1: Uint32Array;
  ranking: Ranking;
  positionOfRow: Map<number, number>;
}

export interface DemandCotation {
  epci: string;
  epciNom: string;
  grille: { id: string; nom: string; version: number; kind: GridKind; effectiveFrom: string };
  asOf: string;
  score: number;
  criteria: ScoredCriterion[];
  rank: number;
  of: number;
  decile: number;
  similar: { description: string; demandes: number; better: number; percentile: number };
  waitingTime: { meanDays: number; attributions: number } | null;
  /** The explanation owed to the applicant (R441-2-17): every criterion met, caps, pending pieces, priority. */
  explication: Explanation;
}

export function scoringService(deps: { stock: Stock; grids: GridStore; clock: Clock; rankingTtlMs?: number }) {
  const { stock, grids, clock } = deps;
  const projection = stock.projection;
  const compiled = new Map<string, CompiledGrid>();
  let published: GridVersion[] = [];
  const rankings = new Map<string, CachedRanking>();
  const ttl = deps.rankingTtlMs ?? 30_000;

  const compiledOf = (doc: GridVersion): CompiledGrid => {
    let g = compiled.get(doc._id);
    if (!g) {
      g = compileGrid(doc.rules, projection);
      compiled.set(doc._id, g);
    }
    return g;
  };
  const today = () => civilDay(clock.now());

  /** The published version in force on a day for an EPCI and kind. */
  const effective = (epci: string, kind: GridKind, on: string): GridVersion | undefined =>
    published
      .filter((d) => d.epci === epci && d.kind === kind && (d.effectiveFrom ?? "9999") <= on)
      .sort((a, b) => b.version - a.version)[0];

  /** Mutation demands use the mutation grid when the EPCI has one; others the primo or single grid. */
  const gridFor = (epci: string, mutation: boolean, on: string) =>
    (mutation ? effective(epci, "mutation", on) : undefined) ??
    effective(epci, "primo", on) ??
    effective(epci, "unique", on);

  const populationOf = (doc: GridVersion, epciId: number, on: string): Uint32Array => {
    const mutationBit = projection.layout.bools.get("mutation") ?? 0;
    const flags = projection.cols.flags;
    // The grid each kind of demand gets, decided once rather than per row.
    const forMutation = gridFor(doc.epci, true, on)?._id === doc._id;
    const forOthers = gridFor(doc.epci, false, on)?._id === doc._id;
    return projection.rowsOfEpci(epciId, (row) =>
      (((flags[row] as number) >>> mutationBit) & 1) === 1 ? forMutation : forOthers,
    );
  };

  function rankingOf(doc: GridVersion, on: string, fresh = false): CachedRanking {
    const key = `${doc._id}@${on}`;
    const cached = rankings.get(key);
    if (!fresh && cached && Date.now() - cached.at < ttl) return cached;
    const epciId = stock.epciId(doc.epci);
    if (epciId === undefined) throw new AppError("NOT_FOUND", `EPCI ${doc.epci} inconnu du référentiel`);
    stock.refusalsOn(on);
    const rows = populationOf(doc, epciId, on);
    const lut = epciLookup(projection, stock.epciCommunes.get(doc.epci) ?? new Set());
    const run = scoreRows(compiledOf(doc), projection, rows, on, lut);
    const ranking = rankAll(projection, rows, run.scores, doc.drawSeed ?? 0);
    const positionOfRow = new Map<number, number>();
    rows.forEach((row, k) => {
      positionOfRow.set(row, k);
    });
    const entry = { at: Date.now(), asOf: on, ...run, ranking, positionOfRow };
    rankings.set(key, entry);
    return entry;
  }

  /**
   * The classement's own rankings (decision 0011): apart from the cotations' cache, so that a desk's
   * request rebuilding a ranking in place never leaves the classement without its per-commune index.
   */
  const classements = new Map<string, { at: number; rows: Uint32Array; scores: Float64Array; ranking: Ranking }>();
  /** Rankings being rebuilt in the background for the classement (one per grid and day at a time). */
  const rebuilding = new Map<string, Promise<void>>();
  const handBack = () => new Promise<void>((resolve) => setImmediate(resolve));

  /**
   * The ranking of rankingOf, built a slice at a time with the event loop handed back between slices
   * (scoring, then the per-commune index of the classement), then swapped in whole: requests keep
   * being served the previous ranking meanwhile.
   */
  async function rebuildInBackground(doc: GridVersion, on: string): Promise<void> {
    const epciId = stock.epciId(doc.epci);
    if (epciId === undefined) return;
    stock.refusalsOn(on);
    const population = await rankInSlices(
      projection,
      {
        grid: { gridId: doc._id, version: doc.version },
        compiled: compiledOf(doc),
        rows: populationOf(doc, epciId, on),
        asOf: on,
        epciLut: epciLookup(projection, stock.epciCommunes.get(doc.epci) ?? new Set()),
        seed: doc.drawSeed ?? 0,
      },
      handBack,
    );
    const { rows, scores, ranking } = population;
    classements.set(`${doc._id}@${on}`, { at: Date.now(), rows, scores, ranking });
  }

  /**
   * The classement's ranking of a grid on a day: past its time the previous one is still served while
   * a rebuild runs in the background (never on the request path); only the very first request of a
   * grid and day builds it in place.
   */
  function rankingForClassement(doc: GridVersion, on: string) {
    const key = `${doc._id}@${on}`;
    const cached = classements.get(key);
    if (!cached) {
      const r = rankingOf(doc, on);
      const entry = { at: r.at, rows: r.rows, scores: r.scores, ranking: r.ranking };
      classements.set(key, entry);
      return entry;
    }
    if (Date.now() - cached.at >= ttl && !rebuilding.has(key)) {
      const run = rebuildInBackground(doc, on)
        .catch(() => undefined)
        .finally(() => rebuilding.delete(key));
      rebuilding.set(key, run);
    }
    return cached;
  }

  /** Demands of the population sharing a typology and a wished commune, and how many score higher. */
  function similarPosition(r: CachedRanking, row: number, score: number) {
    const typologies = projection.cols.set.typologies as Uint32Array;
    const { wished, wishedCount } = projection.cols;
    const mineT = typologies[row] as number;
    const mine = new Set(projection.wishedOf(row));
    let demandes = 0;
    let better = 0;
    for (let k = 0; k < r.rows.length; k++) {
      const other = r.rows[k] as number;
      if (((typologies[other] as number) & mineT) === 0) continue;
      let shares = false;
      const n = Math.min(wishedCount[other] as number, INLINE_COMMUNES);
      for (let w = 0; w < n && !shares; w++) shares = mine.has(wished[other * INLINE_COMMUNES + w] as number);
      if (!shares && (wishedCount[other] as number) > INLINE_COMMUNES)
        shares = projection.wishedOf(other).some((c) => mine.has(c));
      if (!shares) continue;
      demandes++;
      if ((r.scores[k] as number) > score) better++;
    }
    return {
      description: "demandes actives de l'EPCI ayant au moins une typologie et une commune souhaitées en commun",
      demandes,
      better,
      percentile: demandes <= 1 ? 100 : Math.round(((demandes - better - 1) / (demandes - 1)) * 100),
    };
  }

  function activeRow(numeroUnique: string): number {
    const row = projection.rowOfNumeroUnique(numeroUnique);
    if (row === undefined || projection.cols.status[row] !== Status.active)
      throw new AppError("NOT_FOUND", `Aucune demande active ${numeroUnique} connue de la cotation`, {
        reason: "DEMAND_NOT_FOUND",
      });
    return row;
  }

  function cotationsOfRow(row: number, on: string, sees: (epci: string) => boolean): DemandCotation[] {
    stock.refusalsOn(on);
    const mutationBit = projection.layout.bools.get("mutation") ?? 0;
    const mutation = (((projection.cols.flags[row] as number) >>> mutationBit) & 1) === 1;
    const out: DemandCotation[] = [];
    for (const epciId of projection.epcisOf(row)) {
      const epci = projection.territory.epcis[epciId - 1] as string;
      if (!sees(epci)) continue;
      const doc = gridFor(epci, mutation, on);
      if (!doc) continue;
      const r = rankingOf(doc, on);
      const k = r.positionOfRow.get(row);
      if (k === undefined) continue;
      const score = r.scores[k] as number;
      const grid = compiledOf(doc);
      const lut = stock.epciCommunes.get(epci) ?? new Set<string>();
      const rank = r.ranking.rank[k] as number;
      const { header, facts } = projection.readRow(row);
      out.push({
        epci,
        epciNom: stock.epciNames.get(epci) ?? epci,
        grille: {
          id: doc._id,
          nom: doc.nom,
          version: doc.version,
          kind: doc.kind,
          effectiveFrom: doc.effectiveFrom ?? "",
        },
        asOf: on,
        score,
        criteria: explainRow(grid, projection, row, r.met0[k] as number, r.met1[k] as number, on, lut).criteria,
        rank,
        of: r.rows.length,
        decile: decileOf(rank, r.rows.length),
        similar: similarPosition(r, row, score),
        waitingTime: stock.waitingTime(row, on) ?? null,
        explication: explainDemand(
          doc.rules,
          { ...facts, ...temporalFacts(header, on) },
          { epciCommunes: lut },
          projection.catalogue.referentiels,
        ),
      });
    }
    return out;
  }

  return {
    async refresh(): Promise<void> {
      published = await grids.allPublished([...stock.epciCommunes.keys()]);
      rankings.clear();
    },

    /** The cotation of a demand in each EPCI where it is scored (transparency, desks, CAL). */
    cotationOf(principal: Principal, numeroUnique: string, asOf?: string): DemandCotation[] {
      assertCan(principal, "score.read");
      const row = activeRow(numeroUnique);
      const departement = numeroUnique.slice(0, 3).replace(/^0/, "");
      const sees = (epci: string) =>
        principal.territories.epcis.includes(epci) || principal.territories.departements.includes(departement);
      const inDepartement = principal.territories.departements.includes(departement);
      if (!inDepartement && !projection.epcisOf(row).some((e) => sees(projection.territory.epcis[e - 1] as string)))
        throw new AppError("FORBIDDEN", "Demande hors de votre territoire", { reason: "OUT_OF_TERRITORY" });
      return cotationsOfRow(row, asOf ?? today(), sees);
    },

    /**
     * The applicant's own cotation in every EPCI where it is scored, for the page a desk's signed link
     * opens (the link is the authorisation: it names this demand and expires).
     */
    applicantCotation(numeroUnique: string, asOf?: string): DemandCotation[] {
      return cotationsOfRow(activeRow(numeroUnique), asOf ?? today(), () => true);
    },

    /** What-if of a draft (or any version) against the grid in force, over the EPCI's live stock. */
    simulateVersion(principal: Principal, doc: GridVersion, input: z.infer<typeof SimulateInput>): Simulation {
      assertCan(principal, "grid.edit");
      assertInEpci(principal, doc.epci);
      const on = input.asOf ?? today();
      const epciId = stock.epciId(doc.epci);
      if (epciId === undefined) throw new AppError("NOT_FOUND", `EPCI ${doc.epci} inconnu du référentiel`);
      const current = effective(doc.epci, doc.kind, on);
      const mutationBit = projection.layout.bools.get("mutation") ?? 0;
      const flags = projection.cols.flags;
      // The draft's population: what its kind will score (mutation grids: tenants of the social stock).
      const rows = projection.rowsOfEpci(epciId, (row) => {
        const mutation = (((flags[row] as number) >>> mutationBit) & 1) === 1;
        return doc.kind === "unique" || (doc.kind === "mutation") === mutation;
      });
      const draft = compileGrid(doc.rules, projection);
      stock.refusalsOn(on);
      return simulate({
        projection,
        rows,
        current: current ? compiledOf(current) : undefined,
        draft,
        asOf: on,
        epciLut: epciLookup(projection, stock.epciCommunes.get(doc.epci) ?? new Set()),
        seed: current?.drawSeed ?? 0,
        topN: input.topN,
      });
    },

    effective,
    compiled: compiledOf,
    /** The columns the rankings index (read-only walks: the classement). */
    projection,

    /**
     * The rankings of an EPCI's demands on a day: one per grid in force (the single grid, or the
     * primo and mutation grids), cached like the cotations' (decision 0011: the CAL's shortlists);
     * past its time a ranking is still served, with the time it was computed, while its rebuild runs
     * in the background.
     */
    populationsOf(epci: string, on: string): (RankedPopulation & { calculeLe: number })[] {
      if (stock.epciId(epci) === undefined) return [];
      const docs = new Map<string, GridVersion>();
      for (const mutation of [false, true]) {
        const doc = gridFor(epci, mutation, on);
        if (doc) docs.set(doc._id, doc);
      }
      return [...docs.values()].map((doc) => {
        const r = rankingForClassement(doc, on);
        return {
          grid: { gridId: doc._id, version: doc.version },
          rows: r.rows,
          scores: r.scores,
          ranking: r.ranking,
          calculeLe: r.at,
        };
      });
    },
    /** The background rebuilds under way (tests and the bench wait for them). */
    rebuildsUnderWay: () => Promise.all([...rebuilding.values()]).then(() => undefined),

    /** Every grid in force on a day with its freshly computed ranking (the DemandScored run). */
    rankingsInForce(on: string): { doc: GridVersion; ranking: CachedRanking }[] {
      const docs = new Map<string, GridVersion>();
      for (const epci of stock.epciCommunes.keys())
        for (const kind of ["unique", "primo", "mutation"] as const) {
          const doc = effective(epci, kind, on);
          if (doc) docs.set(doc._id, doc);
        }
      return [...docs.values()].map((doc) => ({ doc, ranking: rankingOf(doc, on, true) }));
    },
  };
}

export type ScoringService = ReturnType<typeof scoringService>;
