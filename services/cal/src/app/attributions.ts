import {
  type AnyEnvelope,
  CandidatesProposed,
  createEvent,
  type FluxOrientationEvent,
  LeaseSigned,
  OfferAnswered,
  OfferLapsed,
  OfferMade,
} from "@logis/contracts";
import { AppError, type Clock, newId } from "@logis/domain";
import type { Caller } from "@logis/http";
import { type AttributionCommand, type AttributionEvent, attribution } from "../domain/attribution.js";
import type { Referentiel } from "../domain/reference.js";
import type { AttributionDoc, AttributionReader, AttributionStore } from "./ports.js";

/** The attribution of one vacancy: one per freeing of a unit (`att_<rplsId>_<libereLe>`). */
export const attributionIdOf = (rplsId: string, libereLe: string) => `att_${rplsId}_${libereLe}`;

/** Today in metropolitan France: offers are notified and lapse by the French calendar day. */
const parisFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
export const parisDay = (now: Date): string => parisFormat.format(now);

const PUBLIC = {
  CandidatesProposed,
  OfferMade,
  OfferAnswered,
  OfferLapsed,
  LeaseSigned,
} as const;

/**
 * The attribution use cases: load, decide (domain/attribution.ts), store the next state and its
 * public events in one write. Internal events (decisions applied, condition met, cascade exhausted)
 * change the state only; public ones are numbered 1, 2, … per attribution.
 */
export function attributionUseCases(deps: {
  attributions: AttributionStore;
  clock: Clock;
  referentiel: Referentiel;
  reader?: AttributionReader;
}) {
  const { attributions, clock, referentiel } = deps;
  type Who = Pick<Caller, "correlationId"> & { principal: { userId: string; organisation: { id: string } } };
  /** Decides a command on a state: the next stored document and its public events, or undefined (no change). */
  const decideOn = (
    caller: Who,
    id: string,
    current: AttributionDoc | undefined,
    command: AttributionCommand,
    now: Date,
  ) => {
    const decided = attribution.decide(current, command, {
      now,
      today: parisDay(now),
      by: caller.principal.userId,
      referentiel,
    });
    if (!decided.ok) throw decided.error;
    if (decided.value.length === 0) return undefined;
    const next = decided.value.reduce(attribution.evolve, current);
    if (!next) return undefined;
    let publies = current?.publies ?? 0;
    const events: AnyEnvelope[] = [];
    for (const event of decided.value) {
      if (!(event.type in PUBLIC)) continue;
      publies += 1;
      const { type, ...payload } = event;
      events.push(
        createEvent(PUBLIC[type as keyof typeof PUBLIC], {
          aggregateId: id,
          aggregateVersion: publies,
          correlationId: caller.correlationId,
          actor: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
          occurredAt: now,
          payload: payload as never,
        }),
      );
    }
    return { doc: { ...next, publies } satisfies AttributionDoc, events, decided: decided.value };
  };
  const change = async (caller: Who, id: string, command: AttributionCommand) => {
    const now = clock.now();
    const { state, result } = await attributions.update<readonly AttributionEvent[]>(id, (current) => {
      const out = decideOn(caller, id, current, command, now);
      if (!out) return undefined;
      const { _id, ...rest } = out.doc;
      return { state: rest, events: out.events, result: out.decided };
    });
    if (!state) throw new AppError("NOT_FOUND", "Attribution introuvable", { reason: "ATTRIBUTION_NOT_FOUND" });
    return { state, events: result ?? [] };
  };
  /** The attribution a flux event about a unit is about: by its freeing day, else the unit's open one. */
  const vacancyOf = async (rplsId: string, libereLe: string | undefined) => {
    if (libereLe) return attributionIdOf(rplsId, libereLe);
    return deps.reader?.openOf(rplsId);
  };
  return {
    /** Runs one command on one attribution (the operations and consumers call this). */
    handle: change,
    /**
     * Many vacancies' candidates at once (a batch of proposals): the new attributions are decided
     * from nothing and written in one insert with their events; those that already exist (opened
     * by flux's orientation, say) go through `handle` one by one, under their lock. A refused
     * proposal is reported with its reason and the others are kept.
     */
    async proposeMany(caller: Who, commands: readonly Extract<AttributionCommand, { type: "ProposeCandidates" }>[]) {
      const now = clock.now();
      const items: { doc: AttributionDoc; events: AnyEnvelope[] }[] = [];
      const byId = new Map(commands.map((c) => [c.id, c]));
      // Refused from nothing: perhaps not from the stored state (one at a time below says).
      const oneByOne: string[] = [];
      for (const command of byId.values()) {
        try {
          const out = decideOn(caller, command.id, undefined, command, now);
          if (out) items.push({ doc: out.doc, events: out.events });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          oneByOne.push(command.id);
        }
      }
      const existing = await attributions.insertMany(items);
      const refused: { id: string; reason: string | undefined; message: string }[] = [];
      for (const id of [...oneByOne, ...existing]) {
        try {
          await change(caller, id, byId.get(id) as Extract<AttributionCommand, { type: "ProposeCandidates" }>);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          refused.push({ id, reason: error.reason, message: error.message });
        }
      }
      return { inserted: items.length - existing.length, existing: existing.length, refused };
    },
    get: (id: string) => attributions.get(id),
    /**
     * Applies one of flux's orientation events: an oriented unit opens its attribution, waiting for
     * candidates; an override or a return moves it. Idempotent: a vacancy opens once, a ledger
     * version is applied once. Returns what it did (the consumer logs it).
     */
    async applyOrientation(event: FluxOrientationEvent): Promise<"opened" | "moved" | "unchanged" | "ignored"> {
      const system = {
        principal: { userId: "system:cal", organisation: { id: "org_logis" } },
        correlationId: event.correlationId,
      };
      // The ledger's id is flux:<landlord>:<département>:<year>: the landlord of the unit.
      const bailleurId = event.aggregateId.split(":")[1] ?? "";
      const cibleOf = (c: { reservataireId: string; conventionId: string | null; codeSne: string }) => ({
        reservataireId: c.reservataireId,
        conventionId: c.conventionId,
        codeSne: c.codeSne as AttributionDoc["cible"]["codeSne"],
      });
      switch (event.type) {
        case "UnitAssignedToReserver": {
          const p = event.payload;
          const id = attributionIdOf(p.logement.rplsId, p.libereLe);
          const { events } = await change(system, id, {
            type: "OpenVacancy",
            id,
            bailleurId,
            unit: p.logement,
            libereLe: p.libereLe,
            cible: cibleOf(p.cible),
            designationAvant: p.designationAvant,
            fluxVersion: event.aggregateVersion,
          });
          return events.length > 0 ? "opened" : "unchanged";
        }
        case "UnitDesignationExpired": {
          const id = attributionIdOf(event.payload.rplsId, event.payload.libereLe);
          if (!(await attributions.get(id))) return "ignored";
          const { events } = await change(system, id, {
            type: "ExpireDesignation",
            fluxVersion: event.aggregateVersion,
          });
          return events.length > 0 ? "moved" : "unchanged";
        }
        case "OrientationOverridden":
        case "UnitReturned": {
          const id = await vacancyOf(event.payload.rplsId, event.payload.libereLe);
          if (!id || !(await attributions.get(id))) return "ignored";
          const command: AttributionCommand =
            event.type === "OrientationOverridden"
              ? {
                  type: "ReorientVacancy",
                  cible: cibleOf(event.payload.vers),
                  motif: event.payload.motif,
                  fluxVersion: event.aggregateVersion,
                }
              : { type: "ReturnVacancy", renduLe: event.payload.renduLe, fluxVersion: event.aggregateVersion };
          const { events } = await change(system, id, command);
          return events.length > 0 ? "moved" : "unchanged";
        }
        default:
          return "ignored";
      }
    },
    /**
     * The daily pass of the offers: silence past the deadline, or a suspensive piece not supplied in
     * time, lapses the offer and passes the unit to the next ranked candidate. Returns how many moved.
     */
    async lapseDue(): Promise<number> {
      if (!deps.reader) return 0;
      const system = {
        principal: { userId: "system:cal", organisation: { id: "org_logis" } },
        correlationId: newId("correlation"),
      };
      let moved = 0;
      for (const id of await deps.reader.withOffersUnderWay()) {
        const { events } = await change(system, id, { type: "LapseOffers" });
        if (events.length > 0) moved += 1;
      }
      return moved;
    },
  };
}
export type AttributionUseCases = ReturnType<typeof attributionUseCases>;
