import { labelOf } from "@logis/contracts";

export const statusLabels: Record<string, string> = {
  active: "Active",
  cancelled: "Annulée (non renouvelée)",
  radiated: "Radiée",
  purged: "Supprimée",
};

export const actionLabels: Record<string, string> = {
  register: "Enregistrement",
  update: "Modification",
  renew: "Renouvellement",
  cancel: "Annulation",
  reactivate: "Réactivation",
  radiate: "Radiation",
  purge: "Suppression",
  notice: "Avis de renouvellement",
  "present-again": "Nouvelle présentation du même ménage",
  piece: "Pièce reçue",
  refusal: "Refus de logement",
  attestation: "Attestation délivrée",
  procedure: "Procédure",
};

export { labelOf };
