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
} satisfies Record<string, Principal>;

export type DemoUser = keyof typeof demoUsers;
