import { z } from "zod";

/** The kinds of organisation that use the platform (glossary: guichet, bailleur, réservataire, EPCI, État). */
export const OrganisationKind = z.enum(["desk", "landlord", "reserver", "epci", "state"]);
export type OrganisationKind = z.infer<typeof OrganisationKind>;

export const Role = z.enum([
  "desk-agent", // agent de guichet enregistreur: registers and manages demands
  "desk-sensitive", // consultant_sensible: may read violence, health and handicap details
  "epci-grid-editor", // writes and simulates cotation grids
  "epci-publisher", // publishes cotation grids
  "landlord-agent", // declares freed units, proposes candidates
  "cal-secretary", // schedules CAL sessions and records decisions
  "reserver-agent", // follows the units owed to a réservataire
  "state-agent", // préfecture: contingent, DALO, quotas
  "statistician", // aggregated statistics only
  "platform-admin",
]);
export type Role = z.infer<typeof Role>;

const departement = z.string().regex(/^(\d{2}|2A|2B|\d{3})$/, "a département code (01..95, 2A, 2B, 971..976)");
const siren = z.string().regex(/^\d{9}$/, "a 9-digit SIREN");

/** Who calls: verified from a signed token by every service. */
export const Principal = z.object({
  userId: z.string().min(1),
  name: z.string().min(1),
  organisation: z.object({
    id: z.string().min(1),
    kind: OrganisationKind,
    name: z.string().min(1),
    /** The registration desk number (numGuichet) when the organisation registers demands. */
    guichet: z.string().optional(),
  }),
  roles: z.array(Role),
  /** Where the caller may act: départements (registration, CAL) and EPCIs by SIREN (cotation). */
  territories: z.object({
    departements: z.array(departement).default([]),
    epcis: z.array(siren).default([]),
  }),
});
export type Principal = z.infer<typeof Principal>;
