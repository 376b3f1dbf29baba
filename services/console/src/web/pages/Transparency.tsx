import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, ErrorAlert, Facts, Loading, Page } from "../components";
import { cotation, query } from "../lib/api";
import { frDate, frNumber } from "../lib/format";
import { navigate } from "../lib/router";

const kinds: Record<string, string> = {
  unique: "grille unique",
  primo: "primo-demandeurs",
  mutation: "demandes de mutation",
};

/** For one demand: its score, each criterion that counted, its position and the observed waiting time. */
export function Transparency({ numero }: { numero?: string }) {
  const [draft, setDraft] = useState(numero ?? "");
  const [invalid, setInvalid] = useState(false);
  const result = useQuery({
    queryKey: ["cotation", numero],
    queryFn: () => query(cotation.cotation)({ numeroUnique: numero ?? "" }),
    enabled: numero !== undefined,
  });
  return (
    <Page
      title={numero ? `Cotation de la demande ${numero}` : "Cotation d'une demande"}
      lead="Ce que la grille de cotation en vigueur retient pour la demande, expliqué critère par critère."
    >
      <form
        className={`${fr.cx("fr-mb-4w")} logis-no-print`}
        onSubmit={(e) => {
          e.preventDefault();
          const n = draft.trim().toUpperCase();
          if (!/^[0-9A-Z]{18}$/.test(n)) return setInvalid(true);
          setInvalid(false);
          navigate(`/cotation/${n}`);
        }}
      >
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <Input
              label="Numéro unique de la demande"
              hintText="18 caractères, ex. 069032612345678901AB"
              state={invalid ? "error" : "default"}
              stateRelatedMessage={invalid ? "numéro unique attendu (18 caractères)" : undefined}
              nativeInputProps={{ value: draft, onChange: (e) => setDraft(e.target.value) }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <Button type="submit" iconId="fr-icon-search-line">
              Afficher la cotation
            </Button>
          </div>
        </div>
      </form>
      {result.isFetching ? <Loading what="de la cotation" /> : null}
      {result.error ? (
        <ErrorAlert error={result.error} retry={() => result.refetch()} title="La cotation n'a pas pu être lue" />
      ) : null}
      {result.data && result.data.cotations.length === 0 ? (
        <Empty title="Pas encore de cotation pour cette demande">
          Aucune grille publiée ne couvre les communes souhaitées, ou la demande vient d'être enregistrée : la cotation
          apparaît dès que le service de cotation l'a reçue. Réessayez dans un instant.
        </Empty>
      ) : null}
      {result.data?.cotations.map((c) => (
        <section key={c.epci} className={fr.cx("fr-mb-6w")} aria-labelledby={`epci-${c.epci}`}>
          <h2 id={`epci-${c.epci}`} className={fr.cx("fr-h3")}>
            {c.epciNom} : {frNumber(c.score)} points
          </h2>
          <Facts
            items={[
              ["Grille", `${c.grille.nom} (${kinds[c.grille.kind] ?? c.grille.kind}), version ${c.grille.version}`],
              ["En vigueur depuis le", frDate(c.grille.effectiveFrom)],
              ["Calculée au", frDate(c.asOf)],
              ["Rang dans l'EPCI", `${frNumber(c.rank)} sur ${frNumber(c.of)}`],
              ["Décile", `${c.decile} (1 = les 10 % les mieux placés)`],
              [
                "Parmi les demandes similaires",
                `${c.similar.description} : ${frNumber(c.similar.better)} mieux placée${c.similar.better > 1 ? "s" : ""} sur ${frNumber(c.similar.demandes)}`,
              ],
              [
                "Délai d'attente observé",
                c.waitingTime
                  ? `${frNumber(Math.round(c.waitingTime.meanDays / 30.4))} mois en moyenne (${frNumber(c.waitingTime.attributions)} attribution${c.waitingTime.attributions > 1 ? "s" : ""})`
                  : "pas encore d'attribution comparable",
              ],
            ]}
          />
          {c.criteria.length === 0 ? (
            <p>
              Aucun critère de la grille ne s'applique encore à cette demande : sa note est le plancher de la grille.
              Elle augmente avec l'ancienneté et avec les situations déclarées et justifiées.
            </p>
          ) : (
            <Table
              caption={`Critères retenus (${c.epciNom})`}
              fixed={false}
              headers={["Rubrique", "Critère", "Points", "Statut"]}
              data={c.criteria.map((k) => [
                k.rubrique,
                k.libelle,
                frNumber(k.points),
                k.provisional ? "provisoire : pièce justificative attendue" : "retenu",
              ])}
            />
          )}
        </section>
      ))}
      {result.data && result.data.cotations.length > 0 ? (
        <Button
          className="logis-no-print"
          iconId="fr-icon-printer-line"
          priority="secondary"
          onClick={() => window.print()}
        >
          Imprimer pour le demandeur
        </Button>
      ) : null}
    </Page>
  );
}
