import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { AttributionDoc, AttributionReader } from "../../app/ports.js";

/** Attributions of vacancies in MongoDB, one document per vacancy with its outbox (the aggregate store does the rest). */
export const mongoAttributions = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<AttributionDoc>(db, "attributions", options);

/** Read-only walks over the attributions collection. */
export const mongoAttributionReader = (store: ReturnType<typeof mongoAttributions>): AttributionReader => ({
  async withOffersUnderWay() {
    const docs = await store.collection.find({ statut: "offre_en_cours" }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  },
  async proposedOf(bailleurId, departement) {
    return (await store.collection
      .find({ statut: "proposee", "logement.bailleurId": bailleurId, "logement.departement": departement })
      .project({ outbox: 0, outboxAt: 0 })
      .toArray()) as AttributionDoc[];
  },
  async awaitingDesignationOf(bailleurId, departement) {
    const docs = (await store.collection
      .find({ statut: "a_designer", "logement.bailleurId": bailleurId, "logement.departement": departement })
      .project({ outbox: 0, outboxAt: 0 })
      .toArray()) as AttributionDoc[];
    return docs.filter((a) => a.designationAvant !== undefined && !a.renduLe && !a.designationExpiree);
  },
  async openOf(rplsId) {
    const docs = await store.collection
      .find({ "logement.rplsId": rplsId, statut: { $ne: "bail_signe" } }, { projection: { _id: 1, libereLe: 1 } })
      .toArray();
    return docs.sort((a, b) => (a.libereLe < b.libereLe ? 1 : -1))[0]?._id;
  },
});
