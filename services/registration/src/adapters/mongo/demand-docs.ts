import type { DemandForm } from "@logis/contracts";
import type { mongo } from "mongoose";
import type { Demand } from "../../domain/demand.js";
import { searchKeys } from "../../domain/duplicates.js";
import { normalizeName } from "../../domain/normalize.js";
import { isValidNumeroUnique } from "../../domain/numero-unique.js";

/**
 * A demand as stored: its state, fields derived for lookups, and its outbox. The form and the
 * history are stored as JSON text (decision 0008): a string costs a tenth of the same data as
 * nested fields to write and read on FerretDB, and nothing queries inside them — the fields that
 * lookups need are derived at the top level (`noms`, `searchKeys`, `communes`).
 */
export type DemandDoc = Omit<Demand, "id" | "form" | "history"> & {
  _id: string;
  /** The cerfa form as JSON text (absent once purged). */
  form?: string;
  /** The history as JSON text. */
  history: string;
  /** The numéro's sequence, to seed the allocator (see number-allocator.ts). */
  sequence: number;
  searchKeys: string[];
  noms: string[];
  /** The wished communes (INSEE codes), for the search by commune. */
  communes: string[];
  outbox?: unknown[];
  outboxAt?: Date;
  /** The import batch holding this demand's DemandRegistered until it is published (import-batches.ts). */
  outboxAfter?: string;
};

export const STATE_FIELDS = [
  "numeroUnique",
  "departement",
  "status",
  "version",
  "eventSeq",
  "dateDepot",
  "dateDernierRenouvellement",
  "validUntil",
  "guichet",
  "form",
  "radiation",
  "reactivableUntil",
  "purgeAfter",
  "purgedAt",
  "notices",
  "distinctFrom",
  "history",
  "pieces",
  "refusals",
  "attestations",
  "procedure",
  "separation",
  "dataKey",
  "keyDestroyedAt",
] as const;

/** What reads return: the state only. */
export const stateProjection = {
  outbox: 0,
  outboxAt: 0,
  outboxAfter: 0,
  searchKeys: 0,
  noms: 0,
  communes: 0,
  sequence: 0,
} as const;

/** A stored JSON-text field (documents written before decision 0008 hold sub-documents). */
const parsed = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

/** The form of a stored demand, from a full document or a projection that includes `form`. */
export const formOf = (doc: { form?: unknown }): DemandForm | undefined =>
  doc.form === undefined || doc.form === null ? undefined : parsed<DemandForm>(doc.form);

const derived = (d: Demand) => ({
  // Numbers imported from the SNE or another system have their own structure: no Logis sequence.
  sequence: isValidNumeroUnique(d.numeroUnique) ? Number(d.numeroUnique.slice(7, 16)) : 0,
  searchKeys: d.form ? searchKeys(d.form) : [],
  noms: d.form
    ? [d.form.demandeur.nom, d.form.demandeur.nomNaissance, d.form.cotitulaire?.nom, d.form.cotitulaire?.nomNaissance]
        .filter((n): n is string => Boolean(n))
        .map(normalizeName)
    : [],
  communes: d.form ? [...d.form.souhaits.communes] : [],
});

export function toDoc(d: Demand): DemandDoc {
  const { id, ...rest } = d;
  const doc: Record<string, unknown> = { _id: id, ...derived(d) };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) doc[k] = v;
  if (d.form) doc.form = JSON.stringify(d.form);
  doc.history = JSON.stringify(d.history);
  return doc as DemandDoc;
}

export function fromDoc(doc: DemandDoc): Demand {
  const d: Record<string, unknown> = { id: doc._id };
  for (const k of STATE_FIELDS) if (doc[k] !== undefined) d[k] = doc[k];
  if (doc.form !== undefined) d.form = formOf(doc);
  d.history = parsed(doc.history ?? []);
  return d as unknown as Demand;
}

/** Exact duplicate keys of a demand (birth-date blocks stay out of the key table). */
export const exactKeys = (d: Demand) => (d.form ? searchKeys(d.form).filter((k) => !k.startsWith("dn:")) : []);

/** insertMany that tolerates documents already present; returns the indexes refused as duplicates. */
export async function insertNew<T extends mongo.BSON.Document>(
  c: mongo.Collection<T>,
  docs: T[],
): Promise<Set<number>> {
  const duplicates = new Set<number>();
  if (docs.length === 0) return duplicates;
  try {
    await c.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { index: number; code: number }[] }).writeErrors;
    // Only duplicate-key refusals are expected; anything else (a lost connection has none) fails the batch.
    if (!writeErrors?.length || writeErrors.some((e) => e.code !== 11000)) throw error;
    for (const e of writeErrors) duplicates.add(e.index);
  }
  return duplicates;
}
