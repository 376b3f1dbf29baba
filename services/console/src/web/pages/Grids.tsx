import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useQueries } from "@tanstack/react-query";
import { Empty, ErrorAlert, Loading, Page, usePaged } from "../components";
import { cotation, query } from "../lib/api";
import { frDate } from "../lib/format";
import { epciName } from "../lib/organisations";
import { Link } from "../lib/router";
import { useSession } from "../lib/session";

export const kindLabels: Record<string, string> = {
  unique: "Grille unique",
  primo: "Primo-demandeurs",
  mutation: "Mutations",
};

/** The grids of the user's EPCIs: every version, draft or published. */
export function Grids() {
  const session = useSession();
  const epcis = session?.principal.territories.epcis ?? [];
  const lists = useQueries({
    queries: epcis.map((epci) => ({ queryKey: ["grids", epci], queryFn: () => query(cotation.grids)({ epci }) })),
  });
  return (
    <Page
      title="Grilles de cotation"
      lead="Les versions des grilles de votre EPCI : brouillons à simuler, versions publiées et leur date d'effet."
    >
      {epcis.length === 0 ? (
        <Empty title="Aucun EPCI dans votre territoire">Les grilles se consultent par les agents d'un EPCI.</Empty>
      ) : null}
      {epcis.map((epci, i) => {
        const q = lists[i];
        if (!q) return null;
        return (
          <section key={epci} aria-labelledby={`g-${epci}`}>
            <h2 id={`g-${epci}`} className={fr.cx("fr-h4")}>
              {epciName(epci)}
            </h2>
            {q.isPending ? <Loading what="des grilles" /> : null}
            {q.error ? (
              <ErrorAlert error={q.error} retry={() => q.refetch()} title="Les grilles n'ont pas pu être lues" />
            ) : null}
            {q.data && q.data.length === 0 ? (
              <Empty title="Aucune grille pour cet EPCI">
                Un rédacteur de grille crée le premier brouillon à partir de la grille de référence.
              </Empty>
            ) : null}
            {q.data && q.data.length > 0 ? <GridVersions epci={epci} grids={q.data} /> : null}
          </section>
        );
      })}
    </Page>
  );
}

type GridRow = Awaited<ReturnType<typeof cotation.grids.query>>[number];

/** An EPCI's grid versions, newest first per kind, twenty to a page. */
function GridVersions({ epci, grids }: { epci: string; grids: readonly GridRow[] }) {
  const sorted = [...grids].sort((a, b) => a.kind.localeCompare(b.kind) || b.version - a.version);
  const { shown, pager } = usePaged(sorted);
  return (
    <>
      <Table
        caption={`Versions des grilles : ${epciName(epci)}`}
        noCaption
        fixed={false}
        headers={["Grille", "Type", "Version", "Statut", "Date d'effet", "Dernière action"]}
        data={shown.map((g) => {
          const last = g.history.at(-1);
          return [
            <Link key="l" href={`/grilles/${encodeURIComponent(g.id)}`}>
              {g.nom}
            </Link>,
            kindLabels[g.kind] ?? g.kind,
            `v${g.version}`,
            <Badge key="b" small noIcon severity={g.status === "published" ? "success" : "new"}>
              {g.status === "published" ? "Publiée" : "Brouillon"}
            </Badge>,
            frDate(g.effectiveFrom),
            last ? `${last.action} le ${frDate(last.at)} par ${last.byName}` : "—",
          ];
        })}
      />
      {pager}
    </>
  );
}
