import { assertCan, assertInDepartement } from "@logis/auth";
import { DemandForm, DemandRegistered, type Guichet, NumeroUnique, newDataKey, PieceCode } from "@logis/contracts";
import { AppError, isAppError, newId } from "@logis/domain";
import { z } from "zod";
import { checkCommunes, type Demand, register, toFacts } from "../domain/demand.js";
import { scorePair, searchKeys } from "../domain/duplicates.js";
import { formatNumeroUnique } from "../domain/numero-unique.js";
import { checkRegistrationPieces } from "../domain/procedures.js";
import { viewOf } from "./access.js";
import { eventsFor, transition, unwrap } from "./commit.js";
import { actorOf, type Caller, type Deps } from "./context.js";

const Personne = z.enum(["demandeur", "cotitulaire"]);

export const RegisterInput = z.object({
  demande: DemandForm,
  /**
   * The pieces handed over: the identity document of each adult is the only piece required, plus the
   * residence permit for a national of a country outside the EU, the EEA and Switzerland. Without
   * them the registration is refused (422 PIECE_REQUIRED, naming the piece and the person).
   */
  pieces: z
    .object({
      recues: z
        .array(z.object({ piece: PieceCode, personne: Personne.default("demandeur") }))
        .min(1, "pièce d'identité obligatoire")
        .max(20),
      /** Adults of nationality "Hors UE" (code 3) who are nationals of the EEA or Switzerland: no residence permit. */
      eeeOuSuisse: z.array(Personne).max(2).default([]),
    })
    .optional(),
  /** Registered by an ex-partner after a separation: the original demand, whose first deposit date is kept. */
  separation: z.object({ numeroUniqueOrigine: NumeroUnique }).optional(),
  /** The desk's answer after being shown possible duplicates. */
  doublons: z
    .object({
      decision: z.enum(["distinct", "meme-menage"]),
      /** Every candidate the desk examined. */
      examines: z.array(NumeroUnique).min(1),
      /** For `meme-menage`: the existing demand to keep (no new demand is created). */
      numeroRetenu: NumeroUnique.optional(),
    })
    .refine((d) => d.decision !== "meme-menage" || d.numeroRetenu !== undefined, {
      message: "numeroRetenu obligatoire quand la décision est « meme-menage »",
      path: ["numeroRetenu"],
    })
    .optional(),
});
export type RegisterInput = z.input<typeof RegisterInput>;

/** A possible duplicate, as shown to the desk. */
export interface DuplicateCandidate {
  demandId: string;
  numeroUnique: string;
  statut: Demand["status"];
  demandeur: { nom: string; prenom: string; dateNaissance: string };
  dateDepot: string;
  guichet: string;
  score: number;
  raisons: string[];
}

export const DUPLICATE_THRESHOLD = 0.75;

/** The demands that share a key with `form` and score above the threshold, best first. */
function candidatesAmong(form: DemandForm, found: Demand[]): DuplicateCandidate[] {
  return found
    .flatMap((d) => {
      if (!d.form) return [];
      const { score, reasons } = scorePair(form, d.form);
      if (score < DUPLICATE_THRESHOLD) return [];
      const p = d.form.demandeur;
      return [
        {
          demandId: d.id,
          numeroUnique: d.numeroUnique,
          statut: d.status,
          demandeur: { nom: p.nom, prenom: p.prenom, dateNaissance: p.dateNaissance },
          dateDepot: d.dateDepot,
          guichet: d.guichet.nom,
          score,
          raisons: reasons,
        },
      ];
    })
    .sort((a, b) => b.score - a.score);
}

export async function findDuplicateCandidates(
  deps: Pick<Deps, "demands">,
  form: DemandForm,
): Promise<DuplicateCandidate[]> {
  return candidatesAmong(form, await deps.demands.findByKeys(form.departement, searchKeys(form)));
}

const possibleDuplicate = (candidates: DuplicateCandidate[]) =>
  new AppError("CONFLICT", "Doublon possible : vérifiez les demandes existantes avant d'enregistrer", {
    reason: "POSSIBLE_DUPLICATE",
    context: { details: { candidats: candidates } },
  });

/**
 * Registers a demand: checks territory and communes, shows possible duplicates to the desk (409
 * until the desk answers), allocates the numéro unique and reserves it with the demand's duplicate
 * keys, then writes the demand and DemandRegistered.
 */
export const registerDemand = (deps: Deps) => async (caller: Caller, input: z.infer<typeof RegisterInput>) => {
  const { principal } = caller;
  assertCan(principal, "demand.register");
  const form = input.demande;
  assertInDepartement(principal, form.departement);
  unwrap(checkCommunes(form));
  const now = deps.clock.now();
  const pieces = input.pieces ?? { recues: [], eeeOuSuisse: [] };
  unwrap(checkRegistrationPieces(form, pieces.recues, pieces.eeeOuSuisse, deps.rules(now)));
  const guichet = {
    numGuichet: principal.organisation.guichet ?? principal.organisation.id,
    organisationId: principal.organisation.id,
    nom: principal.organisation.name,
  };

  const examined = new Set(input.doublons?.examines ?? []);
  const origin = input.separation ? await originOf(deps, caller, input.separation.numeroUniqueOrigine) : undefined;
  // The original demand is the couple's: it is not a duplicate of the ex-partner's own demand.
  if (origin) examined.add(origin.numeroUnique);
  if (input.doublons?.decision === "meme-menage") {
    const candidates = await findDuplicateCandidates(deps, form);
    if (candidates.some((c) => !examined.has(c.numeroUnique))) throw possibleDuplicate(candidates);
    const kept = candidates.find((c) => c.numeroUnique === input.doublons?.numeroRetenu);
    const existing = kept ? await deps.demands.get(kept.demandId) : undefined;
    if (!existing) {
      throw new AppError("VALIDATION", "La demande retenue ne fait pas partie des doublons possibles", {
        field: "doublons.numeroRetenu",
      });
    }
    const saved = await transition(deps.demands, existing, caller, now, (d) => ({
      next: {
        ...d,
        history: [
          ...d.history,
          {
            at: now.toISOString(),
            by: actorOf(caller),
            action: "present-again",
            changes: [],
            comment: `Présentée à nouveau au guichet ${guichet.nom}`,
          },
        ],
      },
      events: [],
    }));
    return { outcome: "linked" as const, demand: viewOf(saved, caller) };
  }

  // Possible duplicates are shown before anything is reserved: a 409 takes no numéro and writes no key.
  const shown = await findDuplicateCandidates(deps, form);
  if (shown.some((c) => !examined.has(c.numeroUnique))) throw possibleDuplicate(shown);

  for (let attempt = 0; ; attempt++) {
    const numeroUnique = formatNumeroUnique(form.departement, now, await deps.numbers.next(form.departement));
    try {
      return await insertNew(deps, caller, { ...input, demande: form }, guichet, numeroUnique, examined, now, origin);
    } catch (error) {
      if (!(isAppError(error) && error.reason === "NUMERO_TAKEN") || attempt >= 3) throw error;
    }
  }
};

/** The demand a separated partner's new demand comes from: in a département of the caller, not purged. */
async function originOf(deps: Deps, caller: Caller, numeroUnique: string): Promise<Demand> {
  const origin = await deps.demands.getByNumero(numeroUnique);
  if (!origin || !caller.principal.territories.departements.includes(origin.departement) || origin.status === "purged")
    throw new AppError("VALIDATION", `Demande d'origine ${numeroUnique} introuvable`, {
      field: "separation.numeroUniqueOrigine",
      reason: "DEMAND_NOT_FOUND",
    });
  return origin;
}

async function insertNew(
  deps: Deps,
  caller: Caller,
  input: z.infer<typeof RegisterInput>,
  guichet: Guichet,
  numeroUnique: string,
  examined: Set<string>,
  now: Date,
  origin: Demand | undefined,
) {
  const form = input.demande;
  const by = actorOf(caller);
  const demand = register({
    id: newId("demand"),
    numeroUnique,
    form,
    guichet,
    by,
    now,
    rules: deps.rules(now),
    dateDepot: origin?.dateDepot,
  });
  demand.dataKey = newDataKey();
  demand.pieces = (input.pieces?.recues ?? []).map((p) => ({
    piece: p.piece,
    personne: p.personne,
    receivedAt: now.toISOString(),
    by,
    checked: false,
    criteres: [],
  }));
  if (origin) {
    demand.separation = {
      numeroUniqueOrigine: origin.numeroUnique,
      demandIdOrigine: origin.id,
      dateDepotOrigine: origin.dateDepot,
    };
    demand.history[0] = {
      ...(demand.history[0] as Demand["history"][number]),
      comment: `Création suite à séparation du couple (demande d'origine ${origin.numeroUnique}, dépôt initial conservé)`,
    };
  }
  // Reserving the numéro and the keys is also the duplicate check, against a household registered
  // since the check above: then what was reserved is given back before the desk is shown it.
  const reservation: Awaited<ReturnType<Deps["demands"]["reserve"]>> = await deps.demands.reserve(demand);
  const { holders, complete } = reservation;
  const candidates = candidatesAmong(form, holders);
  if (candidates.some((c) => !examined.has(c.numeroUnique))) {
    await reservation.release();
    throw possibleDuplicate(candidates);
  }
  if (candidates.length > 0) {
    demand.distinctFrom = candidates.map((c) => c.demandId);
    demand.history[0] = {
      ...(demand.history[0] as Demand["history"][number]),
      comment: `Doublons possibles examinés et écartés par le guichet : ${candidates.map((c) => c.numeroUnique).join(", ")}`,
    };
  }
  // The key reaches Kafka before the demand exists (decision 0012): a key left by a failed write
  // opens nothing, a demand whose key was lost could never be read by the chain.
  await deps.dataKeys.publish([{ kid: demand.id, key: demand.dataKey }]);
  const events = eventsFor(demand, 0, caller, now, [
    {
      definition: DemandRegistered,
      payload: {
        numeroUnique,
        departement: form.departement,
        dateDepot: demand.dateDepot,
        validUntil: demand.validUntil,
        guichet,
        demande: toFacts(form),
        ...(origin
          ? { separation: { numeroUniqueOrigine: origin.numeroUnique, dateDepotOrigine: origin.dateDepot } }
          : {}),
      },
    },
  ]);
  await complete(demand, events);
  return { outcome: "registered" as const, demand: viewOf(demand, caller) };
}
