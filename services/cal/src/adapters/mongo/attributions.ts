import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import { type AttributionDoc, type AttributionReader, scopeKey, type Waiting } from "../../app/ports.js";

/** Attributions of vacancies in MongoDB, one document per vacancy with its outbox (the aggregate store does the rest). */
export const mongoAttributions = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<AttributionDoc>(db, "attributions", options);

/** Read-only walks over the attributions collection. */
export const mongoAttributionReader = (store: ReturnType<typeof mongoAttributions>): AttributionReader => ({
  async withOffersUnderWay() {
    const docs = await store.collection.find({ statut: "offre_en_cours" }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  },
  async waitingOf(scopes) {
    // One query for every scope and both lists: FerretDB scans the collection for any filter but
    // `_id`, so each query costs a pass over every attribution (decision 0033); the unit's facts and
    // the shortlist's snapshot stay in the database.
    const out = new Map<string, Waiting>(scopes.map((s) => [scopeKey(s), { proposed: [], awaiting: [] }]));
    if (scopes.length === 0) return out;
    const docs = (await store.collection
      .find({
        statut: { $in: ["proposee", "a_designer"] },
        $or: scopes.map((s) => ({ "logement.bailleurId": s.bailleurId, "logement.departement": s.departement })),
      })
      .project({ outbox: 0, outboxAt: 0, unite: 0, examen: 0 })
      .toArray()) as AttributionDoc[];
    for (const a of docs) {
      const waiting = out.get(scopeKey(a.logement));
      if (!waiting) continue;
      if (a.statut === "proposee") waiting.proposed.push(a);
      else if (a.designationAvant !== undefined && !a.renduLe && !a.designationExpiree) waiting.awaiting.push(a);
    }
    return out;
  },
  async openOf(rplsId) {
    const docs = await store.collection
      .find({ "logement.rplsId": rplsId, statut: { $ne: "bail_signe" } }, { projection: { _id: 1, libereLe: 1 } })
      .toArray();
    return docs.sort((a, b) => (a.libereLe < b.libereLe ? 1 : -1))[0]?._id;
  },
});
