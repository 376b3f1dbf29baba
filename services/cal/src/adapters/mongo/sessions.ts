import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { LeaseFile } from "../../app/occupancy.js";
import type { CommissionReader, SessionDoc, SessionReader, Visibility } from "../../app/ports.js";
import type { Commission } from "../../domain/commission.js";

/** Sessions in MongoDB, one document per session with its journal and outbox. */
export const mongoSessions = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<SessionDoc>(db, "sessions", options);

/** The landlords' lease files for the occupancy examination (`baux:<landlord>`); no event. */
export const mongoLeaseFiles = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<LeaseFile>(db, "lease_files", options);

/** Commissions in MongoDB; they publish no event (their sessions do). */
export const mongoCommissions = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<Commission>(db, "commissions", options);

type Filter = Record<string, unknown>;
const and = (...parts: (Filter | undefined)[]): Filter => {
  const kept = parts.filter((p): p is Filter => p !== undefined && Object.keys(p).length > 0);
  return kept.length === 0 ? {} : kept.length === 1 ? (kept[0] as Filter) : { $and: kept };
};
/** Nothing matches an empty $or: a caller who may see nothing gets nothing. */
const nothing: Filter = { _id: { $in: [] } };

/** The sessions a caller may list, as a filter (access.ts's rules). */
function visibleSessions(v: Visibility): Filter {
  const or: Filter[] = [];
  if (v.bailleurId) or.push({ bailleurId: v.bailleurId });
  if (v.departements.length > 0) or.push({ departement: { $in: v.departements } });
  if (v.reservataire && v.reservataire.departements.length > 0)
    or.push({ departement: { $in: v.reservataire.departements }, "agenda.reservataireId": v.reservataire.id });
  return or.length === 0 ? nothing : or.length === 1 ? (or[0] as Filter) : { $or: or };
}

/** The commissions a caller may list: its landlord's, and every one of its (or its reserver's) départements. */
function visibleCommissions(v: Visibility): Filter {
  const or: Filter[] = [];
  if (v.bailleurId) or.push({ bailleurId: v.bailleurId });
  const departements = [...v.departements, ...(v.reservataire?.departements ?? [])];
  if (departements.length > 0) or.push({ departement: { $in: departements } });
  return or.length === 0 ? nothing : or.length === 1 ? (or[0] as Filter) : { $or: or };
}

/** Read-only walks over the sessions collection. */
export const mongoSessionReader = (store: ReturnType<typeof mongoSessions>): SessionReader => ({
  async ofCommission(commissionId) {
    return (await store.collection
      .find({ commissionId })
      .project({ outbox: 0, outboxAt: 0, journal: 0 })
      .toArray()) as Omit<SessionDoc, "journal">[];
  },
  async list(q) {
    const date: Filter = {};
    if (q.du) date.$gte = q.du;
    if (q.au) date.$lte = q.au;
    const filter = and(
      visibleSessions(q.visibility),
      q.commissionId ? { commissionId: q.commissionId } : undefined,
      q.departement ? { departement: q.departement } : undefined,
      q.statut ? { statut: q.statut } : undefined,
      q.convoquees ? { "convocation.le": { $exists: true } } : undefined,
      Object.keys(date).length > 0 ? { date } : undefined,
      q.apres
        ? { $or: [{ date: { $gt: q.apres.date } }, { date: q.apres.date, _id: { $gt: q.apres.id } }] }
        : undefined,
    );
    return (await store.collection
      .find(filter as mongo.Filter<SessionDoc>)
      .project({ outbox: 0, outboxAt: 0, journal: 0 })
      .sort({ date: 1, _id: 1 })
      .limit(q.limite)
      .toArray()) as SessionDoc[];
  },
});

/** Read-only walks over the commissions collection. */
export const mongoCommissionReader = (store: ReturnType<typeof mongoCommissions>): CommissionReader => ({
  async ofType(type) {
    return (await store.collection
      .find({ typeCommission: type })
      .project({ outbox: 0, outboxAt: 0 })
      .sort({ _id: 1 })
      .toArray()) as Commission[];
  },
  async list(q) {
    const filter = and(
      visibleCommissions(q.visibility),
      q.bailleurId ? { bailleurId: q.bailleurId } : undefined,
      q.departement ? { departement: q.departement } : undefined,
      q.typeCommission ? { typeCommission: q.typeCommission } : undefined,
      q.apres ? { _id: { $gt: q.apres } } : undefined,
    );
    return (await store.collection
      .find(filter as mongo.Filter<Commission>)
      .project({ outbox: 0, outboxAt: 0 })
      .sort({ _id: 1 })
      .limit(q.limite)
      .toArray()) as Commission[];
  },
});
