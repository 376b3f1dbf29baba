import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import type {
  ConventionDoc,
  ConventionSetDoc,
  ConventionsPort,
  ImportJob,
  ImportJobsPort,
  LedgerDoc,
  LedgersPort,
  UnitDoc,
  UnitsPort,
  VacanceDoc,
  VacanciesPort,
} from "../../app/ports.js";

type Options = Omit<AggregateStoreOptions, "topic">;
const noOutbox = { projection: { outbox: 0, outboxAt: 0 } } as const;
const strip = <D>(docs: D[]): D[] =>
  docs.map((d) => {
    const { outbox: _o, outboxAt: _a, ...rest } = d as Record<string, unknown>;
    return rest as D;
  });

/**
 * The housing stock in MongoDB: one document per unit (`uni_<rplsId>`), its outbox feeding
 * flux.unit.v1. Lists filter on the landlord, département, commune and vacancy (scans on FerretDB:
 * a landlord's stock is at most a few tens of thousands of units, read a page at a time by RPLS id).
 */
export function mongoUnits(db: mongo.Db, options: Options & { topic: string }) {
  const store = mongoAggregateStore<UnitDoc>(db, "units", options);
  const port: UnitsPort = {
    store,
    async list({ bailleurIds, departements, communes, libres, after, limit }) {
      const filter: Record<string, unknown> = {};
      if (bailleurIds) filter.bailleurId = { $in: [...bailleurIds] };
      if (departements) filter["logement.departement"] = { $in: [...departements] };
      if (communes) filter["logement.commune"] = { $in: [...communes] };
      if (libres !== undefined) filter.vacance = libres ? { $exists: true } : { $exists: false };
      if (after) filter._id = { $gt: `uni_${after.toLowerCase()}` };
      return strip(await store.collection.find(filter, noOutbox).sort({ _id: 1 }).limit(limit).toArray()) as UnitDoc[];
    },
  };
  return { ...port, store };
}

/** Reservation conventions (`cnv_…`), their outbox feeding flux.convention.v1. */
export function mongoConventions(db: mongo.Db, options: Options & { topic: string }) {
  const store = mongoAggregateStore<ConventionDoc>(db, "conventions", options);
  // The landlord's conventions per département: the lock their signatures and amendments take (no events).
  const sets = mongoAggregateStore<ConventionSetDoc>(db, "convention_sets", options);
  const port: ConventionsPort = {
    store,
    sets,
    async list({ bailleurId, departements, reservataireId }) {
      const filter: Record<string, unknown> = {};
      if (bailleurId) filter.bailleurId = bailleurId;
      if (departements) filter.departement = { $in: [...departements] };
      if (reservataireId) filter["reservataire.id"] = reservataireId;
      return strip(await store.collection.find(filter, noOutbox).sort({ _id: 1 }).toArray()) as ConventionDoc[];
    },
  };
  return { ...port, store };
}

/** Yearly ledgers (`flux:<bailleur>:<département>:<année>`): counters only; their outbox feeds flux.orientation.v1. */
export function mongoLedgers(db: mongo.Db, options: Options & { topic: string }) {
  const store = mongoAggregateStore<LedgerDoc>(db, "ledgers", options);
  const port: LedgersPort = {
    store,
    async list({ departements, bailleurId, annee }) {
      const filter: Record<string, unknown> = {};
      if (departements) filter.departement = { $in: [...departements] };
      if (bailleurId) filter.bailleurId = bailleurId;
      if (annee !== undefined) filter.annee = annee;
      return strip(await store.collection.find(filter, noOutbox).sort({ _id: 1 }).toArray()) as LedgerDoc[];
    },
  };
  return { ...port, store };
}

/** Vacancies (`<rplsId>@<libereLe>`), written under their ledger's lock; they carry no events. */
export function mongoVacancies(db: mongo.Db, options: Options & { topic: string }) {
  const store = mongoAggregateStore<VacanceDoc>(db, "vacancies", options);
  const port: VacanciesPort = {
    store,
    async list({ ledgerIds, rplsIds, reservataireId }) {
      const filter: Record<string, unknown> = { ledgerId: { $in: [...ledgerIds] } };
      if (rplsIds) filter.rplsId = { $in: [...rplsIds] };
      // A vacancy ahead of its ledger may have been oriented elsewhere before: the caller resolves it.
      if (reservataireId)
        filter.$or = [{ "cible.reservataireId": reservataireId }, { "avant.cible.reservataireId": reservataireId }];
      return strip(await store.collection.find(filter, noOutbox).sort({ _id: 1 }).toArray()) as VacanceDoc[];
    },
    // A scan on FerretDB, once per pass: the caller decides again on each under its ledger's lock.
    async designationsDue(day, limit, after) {
      const filter = {
        ...(after === undefined ? {} : { _id: { $gt: after } }),
        designationAvant: { $lt: day },
        "cible.conventionId": { $ne: null },
        rendu: false,
        attribue: false,
        designation: { $exists: false },
        designationExpiree: { $ne: true },
      };
      return strip(
        await store.collection.find(filter, noOutbox).sort({ _id: 1 }).limit(limit).toArray(),
      ) as VacanceDoc[];
    },
  };
  return { ...port, store };
}

/** Import jobs of the housing stock: a plain collection (no events). */
export function mongoImportJobs(db: mongo.Db): ImportJobsPort {
  const c = db.collection<ImportJob>("unit_imports");
  return {
    async create(job) {
      await c.insertOne(job);
    },
    async update(id, fields) {
      await c.updateOne({ _id: id }, { $set: fields });
    },
    async get(id) {
      return (await c.findOne({ _id: id })) ?? undefined;
    },
  };
}
