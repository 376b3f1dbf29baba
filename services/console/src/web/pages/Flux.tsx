import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, ErrorAlert, Loading, Page, usePaged } from "../components";
import { flux, query } from "../lib/api";
import { frDate, frNumber } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { Link } from "../lib/router";

/** Flux, read only: the housing stock the user may see (a page at a time) and the reservation conventions. */
export function Flux() {
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const apres = pages.at(-1);
  const units = useQuery({
    queryKey: ["flux-units", apres],
    queryFn: () => query(flux.units)({ ...(apres ? { apres } : {}), limite: 20 }),
  });
  const conventions = useQuery({ queryKey: ["flux-conventions"], queryFn: () => query(flux.conventions)({}) });
  const conventionPages = usePaged(conventions.data ?? []);
  return (
    <Page
      title="Gestion en flux"
      lead="Les logements de votre périmètre, leur vacance en cours, et les conventions de réservation (lecture)."
    >
      <p>
        <Link href="/flux/bilan">Orientations et bilan de l'année</Link>
      </p>
      <section aria-labelledby="logements" className={fr.cx("fr-mb-6w")}>
        <h2 id="logements" className={fr.cx("fr-h4")}>
          Logements
        </h2>
        {units.isPending ? <Loading what="des logements" /> : null}
        {units.error ? (
          <ErrorAlert error={units.error} retry={() => units.refetch()} title="Les logements n'ont pas pu être lus" />
        ) : null}
        {units.data && units.data.logements.length === 0 ? (
          <Empty title="Aucun logement dans votre périmètre">
            Un bailleur déclare son patrimoine par l'API ou par un import RPLS ; un réservataire voit les logements qui
            lui sont orientés dans la page des orientations.
          </Empty>
        ) : null}
        {units.data && units.data.logements.length > 0 ? (
          <>
            <Table
              caption="Logements"
              noCaption
              fixed={false}
              headers={["RPLS", "Commune", "Adresse", "Typologie", "Surface", "Loyer", "Financement", "QPV", "Vacance"]}
              data={units.data.logements.map((u) => [
                u.rplsId,
                u.logement.commune,
                u.logement.adresse,
                u.logement.typologie,
                `${frNumber(u.logement.surface)} m²`,
                `${frNumber(u.logement.loyer)} €`,
                u.logement.financement,
                u.logement.qpv ? "oui" : "non",
                u.vacance ? (
                  <Badge key="v" small severity="new" noIcon>
                    libre
                  </Badge>
                ) : (
                  "—"
                ),
              ])}
            />
            <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
              <Button priority="secondary" disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>
                Page précédente
              </Button>
              <Button
                priority="secondary"
                disabled={!units.data.suivant}
                onClick={() => setPages((p) => [...p, units.data?.suivant ?? undefined])}
              >
                Page suivante
              </Button>
            </div>
          </>
        ) : null}
      </section>
      <section aria-labelledby="conventions">
        <h2 id="conventions" className={fr.cx("fr-h4")}>
          Conventions de réservation
        </h2>
        {conventions.isPending ? <Loading what="des conventions" /> : null}
        {conventions.error ? (
          <ErrorAlert
            error={conventions.error}
            retry={() => conventions.refetch()}
            title="Les conventions n'ont pas pu être lues"
          />
        ) : null}
        {conventions.data && conventions.data.length === 0 ? (
          <Empty title="Aucune convention dans votre périmètre">
            Un bailleur enregistre ses conventions de réservation (contingents, pourcentage du flux) ; un réservataire
            voit ici celles qui le lient à un bailleur. Si une convention signée manque, demandez-la au bailleur.
          </Empty>
        ) : null}
        {conventions.data && conventions.data.length > 0 ? (
          <>
            <Table
              caption="Conventions"
              noCaption
              fixed={false}
              headers={["Convention", "Bailleur", "Réservataire", "Territoire", "Signée le", "Avenants"]}
              data={conventionPages.shown.map((c) => [
                c.conventionId,
                organisationName(c.bailleurId),
                c.reservataire.nom,
                c.commune ? `commune ${c.commune}` : `département ${c.departement}`,
                frDate(c.signeLe),
                frNumber(c.versions.length - 1),
              ])}
            />
            {conventionPages.pager}
          </>
        ) : null}
      </section>
    </Page>
  );
}
