import { AppError, type Decider, err, ok } from "@logis/domain";
import { addDays, carryToWorkingDay, type IsoDay } from "./calendar.js";

// A commission (CAL or CALEOL) of one landlord on one territory (domain reference §6.1, §6.5): its
// members with their quality and vote, its internal rules (quorum, majority, casting vote), its mode,
// its recurring schedule and the capacity of a session.

export const QUALITES = [
  "administrateur",
  "representant_locataires",
  "maire",
  "president_epci",
  "prefet",
  "reservataire",
  "association_l365_3",
  "ccas",
] as const;
export type Qualite = (typeof QUALITES)[number];

export interface Membre {
  id: string;
  nom: string;
  qualite: Qualite;
  voix: "deliberative" | "consultative";
}

export interface ReglementInterieur {
  version: string;
  /** Deliberative members present needed to deliberate: at least `minimum`, and at least `fraction` of them. */
  quorum: { fraction: number; minimum: number };
  /** Majority of the deliberative members present, or of the votes cast (abstentions left out). */
  majorite: "presents" | "exprimes";
  /** The member whose vote decides a tie (president, or the EPCI president where the law gives it). */
  voixPreponderante: string;
}

export interface Recurrence {
  frequence: "hebdomadaire" | "bimensuelle" | "mensuelle";
  /** 1 = Monday … 5 = Friday. */
  jour: 1 | 2 | 3 | 4 | 5;
  /** For a monthly schedule: the n-th such weekday of the month. */
  semaine?: 1 | 2 | 3 | 4 | undefined;
  /** The first session of the schedule. */
  depuis: IsoDay;
}

export interface Commission {
  _id: string;
  bailleurId: string;
  departement: string;
  epci?: string | undefined;
  typeCommission: "CAL" | "CALEOL";
  membres: Membre[];
  reglement: ReglementInterieur;
  mode: "presentiel" | "distanciel" | "mixte" | "en_ligne";
  recurrence: Recurrence;
  capacite: number;
  revision: number;
}

type Fields = Omit<Commission, "_id" | "revision">;

export type CommissionCommand =
  | ({ type: "Constitute"; id: string } & Fields)
  | { type: "ChangeMembers"; membres: Membre[] }
  | { type: "ChangeRules"; reglement: ReglementInterieur }
  | { type: "ChangeSchedule"; recurrence: Recurrence; capacite: number; mode: Commission["mode"] };

export type CommissionEvent =
  | ({ type: "CommissionConstituted"; id: string; at: string; by: string } & Fields)
  | { type: "MembersChanged"; membres: Membre[]; at: string; by: string }
  | { type: "RulesChanged"; reglement: ReglementInterieur; at: string; by: string }
  | {
      type: "ScheduleChanged";
      recurrence: Recurrence;
      capacite: number;
      mode: Commission["mode"];
      at: string;
      by: string;
    };

export interface CommissionContext {
  now: Date;
  by: string;
}

const invalid = (reason: string, message: string, field: string) =>
  err(new AppError("RULE_VIOLATION", message, { reason, field }));

/** The composition rules the law sets, checked whatever the internal rules say. */
function checkComposition(membres: Membre[], reglement: ReglementInterieur) {
  if (new Set(membres.map((m) => m.id)).size !== membres.length)
    return invalid("DUPLICATE_MEMBER", "Un membre figure deux fois", "membres");
  const wrong = membres.find((m) => m.qualite === "reservataire" && m.voix === "deliberative");
  if (wrong)
    return invalid("RESERVER_ADVISORY_ONLY", `${wrong.nom} : un réservataire siège avec voix consultative`, "membres");
  if (!membres.some((m) => m.qualite === "representant_locataires"))
    return invalid(
      "TENANTS_REPRESENTATIVE_MISSING",
      "Un des membres du bailleur représente les locataires (L441-2)",
      "membres",
    );
  const casting = membres.find((m) => m.id === reglement.voixPreponderante);
  if (casting?.voix !== "deliberative")
    return invalid(
      "CASTING_VOTE_HOLDER",
      "La voix prépondérante appartient à un membre à voix délibérative",
      "reglement.voixPreponderante",
    );
  if (reglement.quorum.fraction <= 0 || reglement.quorum.fraction > 1 || reglement.quorum.minimum < 1)
    return invalid(
      "QUORUM_RULE",
      "Le quorum est une fraction (0, 1] des membres délibératifs, au moins un membre",
      "reglement.quorum",
    );
  return ok([]);
}

export const commission: Decider<Commission | undefined, CommissionCommand, CommissionEvent, CommissionContext> = {
  initialState: undefined,
  decide(state, command, { now, by }) {
    const at = now.toISOString();
    if (command.type === "Constitute") {
      if (state) return err(new AppError("CONFLICT", "Cette commission existe déjà", { reason: "COMMISSION_EXISTS" }));
      const checked = checkComposition(command.membres, command.reglement);
      if (!checked.ok) return checked;
      if (command.capacite < 1) return invalid("CAPACITY", "Une séance examine au moins un logement", "capacite");
      const { type: _t, ...fields } = command;
      return ok([{ ...fields, type: "CommissionConstituted", at, by }]);
    }
    if (!state) return err(new AppError("NOT_FOUND", "Commission introuvable", { reason: "COMMISSION_NOT_FOUND" }));
    switch (command.type) {
      case "ChangeMembers": {
        const checked = checkComposition(command.membres, state.reglement);
        return checked.ok ? ok([{ type: "MembersChanged", membres: command.membres, at, by }]) : checked;
      }
      case "ChangeRules": {
        const checked = checkComposition(state.membres, command.reglement);
        return checked.ok ? ok([{ type: "RulesChanged", reglement: command.reglement, at, by }]) : checked;
      }
      case "ChangeSchedule":
        if (command.capacite < 1) return invalid("CAPACITY", "Une séance examine au moins un logement", "capacite");
        return ok([
          {
            type: "ScheduleChanged",
            recurrence: command.recurrence,
            capacite: command.capacite,
            mode: command.mode,
            at,
            by,
          },
        ]);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case "CommissionConstituted": {
        const { type: _t, id, at: _a, by: _b, ...fields } = event;
        return { _id: id, ...fields, revision: 1 };
      }
      case "MembersChanged":
        return state && { ...state, membres: event.membres, revision: state.revision + 1 };
      case "RulesChanged":
        return state && { ...state, reglement: event.reglement, revision: state.revision + 1 };
      case "ScheduleChanged":
        return (
          state && {
            ...state,
            recurrence: event.recurrence,
            capacite: event.capacite,
            mode: event.mode,
            revision: state.revision + 1,
          }
        );
    }
  },
};

const weekday = (day: IsoDay) => {
  const d = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

/**
 * The schedule's session days from `from` to `to` (inclusive): a session falling on a public holiday
 * moves to the next working day.
 */
export function sessionDays(c: Pick<Commission, "recurrence" | "departement">, from: IsoDay, to: IsoDay): IsoDay[] {
  const { recurrence: r } = c;
  const days: IsoDay[] = [];
  if (r.frequence === "mensuelle") {
    let year = Number(from.slice(0, 4));
    let month = Number(from.slice(5, 7));
    for (let i = 0; i < 240; i++) {
      const first = `${year}-${String(month).padStart(2, "0")}-01`;
      const offset = (r.jour - weekday(first) + 7) % 7;
      const day = addDays(first, offset + 7 * ((r.semaine ?? 1) - 1));
      if (day > to) break;
      if (day >= from && day >= r.depuis) days.push(carryToWorkingDay(day, c.departement));
      month = month === 12 ? 1 : month + 1;
      if (month === 1) year += 1;
    }
    return days;
  }
  const step = r.frequence === "hebdomadaire" ? 7 : 14;
  let day = addDays(r.depuis, (r.jour - weekday(r.depuis) + 7) % 7);
  while (day < from) day = addDays(day, step);
  for (; day <= to; day = addDays(day, step)) days.push(carryToWorkingDay(day, c.departement));
  return days;
}
