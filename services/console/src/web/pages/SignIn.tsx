import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import type { Principal } from "@logis/auth";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert, Loading, Page } from "../components";
import { signInAs } from "../lib/session";

const roleLabels: Record<string, string> = {
  "desk-agent": "agent de guichet",
  "desk-sensitive": "données sensibles",
  "epci-grid-editor": "rédaction des grilles",
  "epci-publisher": "publication des grilles",
  statistician: "statistiques",
  "landlord-agent": "bailleur",
  "cal-secretary": "secrétariat de CAL",
  "reserver-agent": "réservataire",
  "state-agent": "services de l'État",
  "platform-admin": "administration",
};

/** Development sign-in: choose a demo user; the console's server signs the token. */
export function SignIn() {
  const users = useQuery({
    queryKey: ["demo-users"],
    queryFn: async () => {
      const res = await fetch("/api/dev/users");
      if (res.status === 404) return [];
      if (!res.ok) throw new Error("La liste des utilisateurs de démonstration est indisponible : rechargez la page.");
      return (await res.json()) as (Principal & { id: string })[];
    },
  });
  const [choice, setChoice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <Page
      title="Connexion"
      lead="Choisissez un utilisateur de démonstration : les menus et les données suivent son rôle et son territoire."
    >
      {users.isPending ? <Loading what="des utilisateurs" /> : null}
      {users.error ? <ErrorAlert error={users.error} retry={() => users.refetch()} /> : null}
      {users.data?.length === 0 ? (
        <Alert
          severity="info"
          title="Connexion de démonstration désactivée"
          description="Cette console n'a pas de clés d'émetteur local : démarrez la plateforme avec bash infra/local/up.sh."
        />
      ) : null}
      {error ? <ErrorAlert error={error} title="Connexion impossible" /> : null}
      {users.data && users.data.length > 0 ? (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            if (!choice) return setError(new Error("Choisissez un utilisateur dans la liste."));
            setBusy(true);
            try {
              await signInAs(choice);
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <RadioButtons
            legend="Utilisateur"
            name="utilisateur"
            className={fr.cx("fr-mb-3w")}
            options={users.data.map((u) => ({
              label: `${u.name} — ${u.organisation.name}`,
              hintText: `${u.roles.map((r) => roleLabels[r] ?? r).join(", ")} · département ${u.territories.departements.join(", ")}${
                u.territories.epcis.length ? ` · EPCI ${u.territories.epcis.join(", ")}` : ""
              }`,
              nativeInputProps: { value: u.id, checked: choice === u.id, onChange: () => setChoice(u.id) },
            }))}
          />
          <Button type="submit" iconId="fr-icon-account-circle-line" disabled={busy}>
            Se connecter
          </Button>
        </form>
      ) : null}
    </Page>
  );
}
