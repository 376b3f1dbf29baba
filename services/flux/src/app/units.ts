import { departementOfCommune, LogementDeclare, MotifLiberation, MotifSoustraction, RplsId } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { z } from "zod";
import { type Unit, type UnitCommand, unitDecider, unitIdOf } from "../domain/logement.js";
import type { Referentiel } from "../domain/referentiel.js";
import { canSeeUnit, landlordOf, notFound, readerReach } from "./access.js";
import { decideOn } from "./decide.js";
import { actorOf } from "./events.js";
import type { Caller, UnitDoc, UnitsPort } from "./ports.js";

const day = (label: string) => z.iso.date({ error: `${label} attendue (AAAA-MM-JJ)` });

export const UpdateUnitInput = LogementDeclare.omit({ rplsId: true }).partial();
export const FreeUnitInput = z.object({
  libereLe: day("date de libération"),
  motif: MotifLiberation,
  soustraction: MotifSoustraction.optional(),
});
/** The CAL acting on the landlord's unit: a technical actor, never a person. */
const calCaller = (bailleurId: string, departement: string, correlationId: string): Caller => ({
  correlationId,
  principal: {
    userId: "system:flux-cal-leases",
    name: "Bail signé en CAL",
    organisation: { id: bailleurId, kind: "landlord", name: "Bailleur" },
    roles: [],
    territories: { departements: [departement], epcis: [] },
  },
});

export const LetUnitInput = z.object({ bailSigneLe: day("date de signature du bail") });
export const ListUnitsInput = z.object({
  departement: z
    .string()
    .regex(/^(\d{2}|2A|2B|\d{3})$/, "département attendu (57, 2A, 971…)")
    .optional(),
  commune: z
    .string()
    .regex(/^(\d{5}|2[AB]\d{3})$/, "code INSEE de commune attendu (5 caractères)")
    .optional(),
  libres: z.enum(["oui", "non"], { error: "libres : oui ou non" }).optional(),
  apres: RplsId.optional(),
  limite: z.coerce.number().int().min(1).max(500).default(100),
});

export interface UnitView {
  rplsId: string;
  bailleurId: string;
  logement: Unit["logement"];
  vacance: Unit["vacance"] | null;
  version: number;
}
const viewOf = (doc: Pick<UnitDoc, "bailleurId" | "logement" | "vacance" | "version">): UnitView => ({
  rplsId: doc.logement.rplsId,
  bailleurId: doc.bailleurId,
  logement: doc.logement,
  vacance: doc.vacance ?? null,
  version: doc.version,
});

/**
 * The housing stock: a landlord declares (idempotently on the RPLS id), updates, frees and lets
 * its units; each change leaves as an event of `flux.unit.v1` through the unit's outbox. The
 * orientation of a freed unit follows from its UnitFreed event (consumers/unit-events.ts).
 */
export function unitUseCases({
  units,
  clock,
  referentiel,
}: {
  units: UnitsPort;
  clock: Clock;
  referentiel: Referentiel;
}) {
  const bailleursConnus = new Set(referentiel.bailleurs.map((b) => b.id));
  const meta = (caller: Caller) => ({
    correlationId: caller.correlationId,
    actor: actorOf(caller.principal),
    now: clock.now(),
  });

  async function run(caller: Caller, rplsId: string, command: UnitCommand) {
    const now = clock.now();
    const context = { now, auteur: caller.principal.userId, bailleursConnus };
    const id = unitIdOf(rplsId);
    const decided = await decideOn(units.store, id, unitDecider, command, context, meta(caller));
    const doc = await units.store.get(id);
    if (!doc) throw notFound(`Logement ${rplsId}`, "UNIT_NOT_FOUND");
    return { unit: viewOf(doc), events: decided.events.map((e) => e.type) };
  }

  /** The unit for a landlord acting on its own stock (404 for anyone else's: no probing of RPLS ids). */
  async function ownUnit(caller: Caller, rplsId: string, permission: "unit.declare" | "unit.free") {
    const bailleurId = landlordOf(caller, permission);
    const doc = await units.store.get(unitIdOf(rplsId));
    if (
      !doc ||
      doc.bailleurId !== bailleurId ||
      !caller.principal.territories.departements.includes(doc.logement.departement)
    )
      throw notFound(`Logement ${rplsId}`, "UNIT_NOT_FOUND");
    return doc;
  }

  return {
    /** Declares a unit, or updates it when this landlord declared it already (idempotent on the RPLS id). */
    async declare(caller: Caller, logement: LogementDeclare) {
      const bailleurId = landlordOf(caller, "unit.declare", departementOfCommune(logement.commune));
      return run(caller, logement.rplsId, { type: "DeclareUnit", bailleurId, logement });
    },

    async update(caller: Caller, rplsId: string, changes: z.infer<typeof UpdateUnitInput>) {
      await ownUnit(caller, rplsId, "unit.declare");
      return run(caller, rplsId, { type: "UpdateUnit", changes });
    },

    /** Frees a unit (UnitFreed): its orientation follows, shown by GET …/orientation once done. */
    async free(caller: Caller, rplsId: string, input: z.infer<typeof FreeUnitInput>) {
      await ownUnit(caller, rplsId, "unit.free");
      return run(caller, rplsId, { type: "FreeUnit", ...input });
    },

    /** Records the lease signed on a freed unit (UnitLet): the ledger counts the attribution. */
    async let(caller: Caller, rplsId: string, input: z.infer<typeof LetUnitInput>) {
      await ownUnit(caller, rplsId, "unit.free");
      return run(caller, rplsId, { type: "LetUnit", bailSigneLe: input.bailSigneLe });
    },

    /**
     * A lease signed in the CAL (LeaseSigned): the unit is let as when its landlord records the lease,
     * and the ledger counts the attribution from the UnitLet that follows. Once: a unit already let,
     * unknown here, or freed again since, is left as it is.
     */
    async letFromCal(lease: { rplsId: string; libereLe: string; bailSigneLe: string; correlationId: string }) {
      const doc = await units.store.get(unitIdOf(lease.rplsId));
      if (!doc?.vacance || doc.vacance.libereLe !== lease.libereLe) return undefined;
      return run(calCaller(doc.bailleurId, doc.logement.departement, lease.correlationId), lease.rplsId, {
        type: "LetUnit",
        bailSigneLe: lease.bailSigneLe,
      });
    },

    async get(caller: Caller, rplsId: string): Promise<UnitView> {
      const reach = readerReach(caller, referentiel);
      const doc = await units.store.get(unitIdOf(rplsId));
      if (!doc || !canSeeUnit(reach, doc)) throw notFound(`Logement ${rplsId}`, "UNIT_NOT_FOUND");
      return viewOf(doc);
    },

    /** The units the caller may see, by RPLS id, a page at a time (`apres`: the last RPLS id of the previous page). */
    async list(caller: Caller, input: z.infer<typeof ListUnitsInput>) {
      const reach = readerReach(caller, referentiel);
      if (reach.kind === "reserver" || reach.kind === "none") return { logements: [], suivant: null };
      const departements = input.departement
        ? reach.departements.filter((d) => d === input.departement)
        : reach.departements;
      const communes =
        reach.kind === "epci"
          ? [...reach.communes].filter((c) => input.commune === undefined || c === input.commune)
          : input.commune
            ? [input.commune]
            : undefined;
      const docs = await units.list({
        ...(reach.kind === "landlord" ? { bailleurIds: [reach.bailleurId] } : {}),
        departements,
        ...(communes ? { communes } : {}),
        ...(input.libres ? { libres: input.libres === "oui" } : {}),
        ...(input.apres ? { after: input.apres } : {}),
        limit: input.limite,
      });
      const logements = docs.filter((d) => canSeeUnit(reach, d)).map(viewOf);
      return { logements, suivant: docs.length === input.limite ? (logements.at(-1)?.rplsId ?? null) : null };
    },
  };
}
export type UnitUseCases = ReturnType<typeof unitUseCases>;
