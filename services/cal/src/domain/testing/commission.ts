import type { Commission, Membre } from "../commission.js";

const m = (id: string, nom: string, qualite: Membre["qualite"], voix: Membre["voix"] = "deliberative"): Membre => ({
  id,
  nom,
  qualite,
  voix,
});

/** A CAL of a Moselle landlord: six landlord members (one for the tenants), the mayor, the préfet, a reserver. */
export const metzCommission: Commission = {
  _id: "com_metz",
  bailleurId: "org_demo_bailleur",
  departement: "57",
  typeCommission: "CAL",
  membres: [
    m("m1", "Mme Président", "administrateur"),
    m("m2", "M. Admin 2", "administrateur"),
    m("m3", "Mme Admin 3", "administrateur"),
    m("m4", "M. Admin 4", "administrateur"),
    m("m5", "Mme Admin 5", "administrateur"),
    m("m6", "M. Locataires", "representant_locataires"),
    m("maire", "Maire de Metz", "maire"),
    m("prefet", "DDETS 57", "prefet"),
    m("al", "Action Logement", "reservataire", "consultative"),
  ],
  reglement: {
    version: "RI-2026",
    quorum: { fraction: 0.5, minimum: 3 },
    majorite: "exprimes",
    voixPreponderante: "m1",
  },
  mode: "presentiel",
  recurrence: { frequence: "bimensuelle", jour: 4, depuis: "2026-01-08" },
  capacite: 3,
  revision: 1,
};
