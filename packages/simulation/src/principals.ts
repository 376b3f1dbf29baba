import { demoUsers, type Principal } from "@logis/auth";
import type { Bailleur } from "./reference.js";

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

const agents = new Map<string, Principal[]>([[demoUsers.bailleur57.organisation.id, bailleurs57]]);

/**
 * The agents of a landlord (its stock, conventions, leases, CAL secretariat): four per landlord, each
 * with its own rate limit. Moselis's are the demo landlord and colleagues; the other landlords'
 * tokens are signed by the simulation, as the demo seeds do.
 */
export function agentsOf(b: Pick<Bailleur, "id" | "nom" | "parts">): Principal[] {
  let list = agents.get(b.id);
  if (!list) {
    const slug = b.id.replace(/^org_(sim_)?/, "");
    list = [1, 2, 3, 4].map((i) => ({
      userId: `usr_sim_${slug}_${i}`,
      name: `Chargée de clientèle ${i} (simulation)`,
      organisation: { id: b.id, kind: "landlord", name: b.nom },
      roles: ["landlord-agent", "cal-secretary"],
      territories: { departements: ["57"], epcis: Object.keys(b.parts) },
    }));
    agents.set(b.id, list);
  }
  return list;
}

/** One agent of the landlord, in turn. */
export const agentOf = (b: Pick<Bailleur, "id" | "nom" | "parts">, i = 0): Principal => agentsOf(b)[i % 4] as Principal;

export const guichet57 = guichets57[0] as Principal;
export const bailleur57 = bailleurs57[0] as Principal;
/** The DDETS (statistics). */
export const prefecture57: Principal = demoUsers.prefecture57;

export const guichetFor = (i: number) => guichets57[i % guichets57.length] as Principal;
export const bailleurFor = (i: number) => bailleurs57[i % bailleurs57.length] as Principal;
