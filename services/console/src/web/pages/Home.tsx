import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import { Page } from "../components";
import { menuOf, useConsoleConfig } from "../lib/access";
import { useSession } from "../lib/session";

const descriptions: Record<string, string> = {
  "/demandes": "Rechercher dans le stock par numéro unique, nom, commune souhaitée ou statut.",
  "/demandes/nouvelle": "Enregistrer une demande selon le formulaire national (cerfa 14069).",
  "/echanges": "Importer un fichier de demandes et suivre son rapport ; exporter le stock.",
  "/grilles": "Grilles de l'EPCI : versions, critères, simulation et publication.",
  "/cotation": "La cotation d'une demande expliquée au demandeur : critères, position, délai d'attente.",
  "/flux": "Logements, conventions de réservation et orientations (lecture).",
};

export function Home() {
  const session = useSession();
  const config = useConsoleConfig();
  if (!session) return null;
  const items = menuOf(session.principal, config.data?.services).filter((i) => i.href !== "/");
  const names = { registration: "l'enregistrement des demandes", cotation: "la cotation" } as const;
  const down = (["registration", "cotation"] as const).filter((s) => config.data?.services[s] === false);
  return (
    <Page
      title={`Bonjour ${session.principal.name}`}
      lead={`${session.principal.organisation.name} — que souhaitez-vous faire ?`}
    >
      {down.length > 0 ? (
        <Alert
          severity="warning"
          title="Service indisponible"
          description={`Le service de ${down.map((s) => names[s]).join(" et de ")} ne répond pas : les pages correspondantes afficheront une erreur. Réessayez dans un instant ou prévenez l'équipe d'exploitation.`}
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        {items.map((i) => (
          <div key={i.href} className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Tile title={i.text} desc={descriptions[i.href]} linkProps={{ href: i.href }} orientation="vertical" />
          </div>
        ))}
      </div>
      {items.length === 0 ? <p>Votre rôle ne donne accès à aucune page de la console pour l'instant.</p> : null}
    </Page>
  );
}
