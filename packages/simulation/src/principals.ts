import { demoUsers, type Principal } from "@logis/auth";

/**
 * The desks of the Moselle demo landlord that register and follow the demands: the demo users have
 * no desk in 57, so the simulation signs its own. Several agents, as on a real territory (each has
 * its own rate limit).
 */
export const guichets57: Principal[] = [1, 2, 3, 4].map((i) => ({
  userId: `usr_sim_guichet_57_${i}`,
  name: `Agent d'accueil ${i} (simulation)`,
  organisation: {
    id: "org_demo_bailleur_57",
    kind: "desk",
    name: "Guichet Moselis (simulation)",
    guichet: "057000001",
  },
  roles: ["desk-agent"],
  territories: { departements: ["57"], epcis: [] },
}));

/** The landlord's agents (its stock, conventions, CAL secretariat): the demo landlord and colleagues of the same organisation. */
export const bailleurs57: Principal[] = [
  demoUsers.bailleur57,
  ...[2, 3, 4].map((i) => ({
    ...demoUsers.bailleur57,
    userId: `usr_sim_bailleur_57_${i}`,
    name: `Chargée de clientèle ${i} (simulation)`,
  })),
];

export const guichet57 = guichets57[0] as Principal;
export const bailleur57 = bailleurs57[0] as Principal;
/** The DDETS (statistics). */
export const prefecture57: Principal = demoUsers.prefecture57;

export const guichetFor = (i: number) => guichets57[i % guichets57.length] as Principal;
export const bailleurFor = (i: number) => bailleurs57[i % bailleurs57.length] as Principal;
