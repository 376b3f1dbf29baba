import type { DemandEvent, DemandFacts } from "@logis/contracts";
import { applyIfNewer } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { DemandDirectory, KnownDemand } from "../../app/ports.js";

interface DemandRow {
  _id: string;
  _v?: number;
  numeroUnique?: string;
  departement?: string;
  statut?: KnownDemand["statut"];
  /** The facts as JSON text (decision 0008); unset when the demand is purged. */
  demande?: string;
  /** On the numéro's own row (`num|<numéro>`): the demand it belongs to. */
  demandId?: string;
}

const STATUT: Partial<Record<DemandEvent["type"], KnownDemand["statut"]>> = {
  DemandRenewed: "active",
  DemandReactivated: "active",
  DemandCancelled: "cancelled",
  DemandRadiated: "radiated",
};

/** The CAL's read model of registration's demands in `demands`: one row per demand, one per numéro. */
export function mongoDemandDirectory(db: mongo.Db): DemandDirectory {
  const c = db.collection<DemandRow>("demands");
  const raw = c as unknown as mongo.Collection<mongo.BSON.Document>;
  const known = (row: DemandRow): KnownDemand => ({
    demandId: row._id,
    numeroUnique: row.numeroUnique ?? "",
    departement: row.departement ?? "",
    statut: row.statut ?? "active",
    ...(row.demande ? { facts: JSON.parse(row.demande) as DemandFacts } : {}),
  });
  return {
    async apply(event) {
      const id = event.aggregateId;
      const v = event.aggregateVersion;
      switch (event.type) {
        case "DemandRegistered":
        case "DemandUpdated": {
          const { numeroUnique, departement, demande } = event.payload;
          const changed = await applyIfNewer(raw, id, v, {
            $set: { numeroUnique, departement, statut: "active", demande: JSON.stringify(demande) },
          });
          await applyIfNewer(raw, `num|${numeroUnique}`, v, { $set: { demandId: id } });
          return changed;
        }
        case "DemandPurged":
          return applyIfNewer(raw, id, v, { $set: { statut: "purged" }, $unset: { demande: "" } });
        default: {
          const statut = STATUT[event.type];
          return applyIfNewer(raw, id, v, statut ? { $set: { statut } } : {});
        }
      }
    },
    async get(ids) {
      const rows = await c.find({ _id: { $in: [...ids] } }).toArray();
      return new Map(rows.map((row) => [row._id, known(row)]));
    },
    async byNumero(numeroUnique) {
      const pointer = await c.findOne({ _id: `num|${numeroUnique}` });
      if (!pointer?.demandId) return undefined;
      const row = await c.findOne({ _id: pointer.demandId });
      return row ? known(row) : undefined;
    },
  };
}
