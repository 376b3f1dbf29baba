import type { Principal } from "./principal.js";

/**
 * The demo territory's users (seeded by infra/local/up.sh): one per kind of organisation, so that
 * every screen can be tried. Not used outside development.
 */
export const demoUsers = {
  guichet: {
    userId: "usr_demo_guichet",
    name: "Camille Martin",
    organisation: {
      id: "org_demo_bailleur_69",
      kind: "desk",
      name: "Guichet Lyon Métropole Habitat",
      guichet: "069000123",
    },
    roles: ["desk-agent"],
    territories: { departements: ["69"], epcis: [] },
  },
  sensible: {
    userId: "usr_demo_sensible",
    name: "Nadia Benali",
    organisation: {
      id: "org_demo_bailleur_69",
      kind: "desk",
      name: "Guichet Lyon Métropole Habitat",
      guichet: "069000123",
    },
    roles: ["desk-agent", "desk-sensitive"],
    territories: { departements: ["69"], epcis: [] },
  },
  epci: {
    userId: "usr_demo_epci",
    name: "Julien Roux",
    organisation: { id: "org_demo_metropole_lyon", kind: "epci", name: "Métropole de Lyon" },
    roles: ["epci-grid-editor", "epci-publisher", "statistician"],
    territories: { departements: ["69"], epcis: ["200046977"] },
  },
  bailleur: {
    userId: "usr_demo_bailleur",
    name: "Sophie Lefèvre",
    organisation: { id: "org_demo_bailleur_69", kind: "landlord", name: "Lyon Métropole Habitat" },
    roles: ["landlord-agent", "cal-secretary"],
    territories: { departements: ["69"], epcis: ["200046977"] },
  },
  reservataire: {
    userId: "usr_demo_reservataire",
    name: "Karim Haddad",
    organisation: { id: "org_demo_action_logement", kind: "reserver", name: "Action Logement Services" },
    roles: ["reserver-agent"],
    territories: { departements: ["69"], epcis: ["200046977"] },
  },
  prefecture: {
    userId: "usr_demo_prefecture",
    name: "Hélène Garnier",
    organisation: { id: "org_demo_ddets_69", kind: "state", name: "DDETS du Rhône" },
    roles: ["state-agent", "statistician"],
    territories: { departements: ["69"], epcis: ["200046977"] },
  },
  // Moselle (57), the flux demo territory: a landlord, Action Logement, the DDETS, Metz Métropole.
  bailleur57: {
    userId: "usr_demo_bailleur_57",
    name: "Claire Muller",
    organisation: { id: "org_demo_bailleur_57", kind: "landlord", name: "Moselis (démo)" },
    roles: ["landlord-agent", "cal-secretary"],
    territories: { departements: ["57"], epcis: ["200039865"] },
  },
  reservataire57: {
    userId: "usr_demo_reservataire_57",
    name: "Thomas Klein",
    organisation: { id: "org_demo_action_logement", kind: "reserver", name: "Action Logement Services" },
    roles: ["reserver-agent"],
    territories: { departements: ["57"], epcis: [] },
  },
  prefecture57: {
    userId: "usr_demo_prefecture_57",
    name: "Anne Schmitt",
    organisation: { id: "org_demo_ddets_57", kind: "state", name: "DDETS de la Moselle" },
    roles: ["state-agent", "statistician"],
    territories: { departements: ["57"], epcis: [] },
  },
  epci57: {
    userId: "usr_demo_epci_57",
    name: "Marc Weber",
    organisation: { id: "org_demo_metz_metropole", kind: "epci", name: "Metz Métropole" },
    roles: ["epci-grid-editor", "epci-publisher", "statistician"],
    territories: { departements: ["57"], epcis: ["200039865"] },
  },
} satisfies Record<string, Principal>;

export type DemoUser = keyof typeof demoUsers;
