import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Empty, ErrorAlert, Loading, Page } from "../components";
import { query, registration } from "../lib/api";
import { frDate, frNumber } from "../lib/format";
import { statusLabels } from "../lib/labels";
import { Link, navigate, useLocation } from "../lib/router";

const PAGE_SIZE = 20;
const statuts = ["active", "cancelled", "radiated", "purged"] as const;
type Statut = (typeof statuts)[number];

/** The desk's search in the stock of its départements; the criteria live in the address (shareable). */
export function Search() {
  const { search } = useLocation();
  const criteria = {
    numeroUnique: search.get("numero") ?? "",
    nom: search.get("nom") ?? "",
    commune: search.get("commune") ?? "",
    statut: (search.get("statut") ?? "") as Statut | "",
  };
  const page = Number(search.get("page") ?? "1") || 1;
  const [draft, setDraft] = useState(criteria);
  const input = {
    ...(criteria.numeroUnique ? { numeroUnique: criteria.numeroUnique.trim().toUpperCase() } : {}),
    ...(criteria.nom ? { nom: criteria.nom } : {}),
    ...(criteria.commune ? { commune: criteria.commune.trim() } : {}),
    ...(criteria.statut ? { statut: criteria.statut } : {}),
    page,
    pageSize: PAGE_SIZE,
  };
  const result = useQuery({
    queryKey: ["search", input],
    queryFn: () => query(registration.search)(input),
    placeholderData: keepPreviousData,
  });
  const hrefOf = (c: typeof criteria, p = 1) => {
    const q = new URLSearchParams();
    if (c.numeroUnique) q.set("numero", c.numeroUnique);
    if (c.nom) q.set("nom", c.nom);
    if (c.commune) q.set("commune", c.commune);
    if (c.statut) q.set("statut", c.statut);
    if (p > 1) q.set("page", String(p));
    const s = q.toString();
    return s ? `/demandes?${s}` : "/demandes";
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(hrefOf(draft));
  };
  const data = result.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <Page title="Rechercher une demande">
      <form onSubmit={submit} className={fr.cx("fr-mb-4w")} aria-label="Critères de recherche">
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <Input
              label="Numéro unique"
              hintText="18 caractères"
              nativeInputProps={{
                value: draft.numeroUnique,
                onChange: (e) => setDraft({ ...draft, numeroUnique: e.target.value }),
                name: "numero",
              }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <Input
              label="Nom du demandeur"
              hintText="au moins 2 lettres"
              nativeInputProps={{
                value: draft.nom,
                onChange: (e) => setDraft({ ...draft, nom: e.target.value }),
                name: "nom",
              }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <Input
              label="Commune souhaitée"
              hintText="code INSEE, ex. 69383"
              nativeInputProps={{
                value: draft.commune,
                onChange: (e) => setDraft({ ...draft, commune: e.target.value }),
                name: "commune",
              }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <Select
              label="Statut"
              hint="tous par défaut"
              nativeSelectProps={{
                value: draft.statut,
                onChange: (e) => setDraft({ ...draft, statut: e.target.value as Statut | "" }),
                name: "statut",
              }}
            >
              <option value="">Tous</option>
              {statuts.map((s) => (
                <option key={s} value={s}>
                  {statusLabels[s]}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <Button type="submit" iconId="fr-icon-search-line">
          Rechercher
        </Button>
      </form>
      {result.isPending ? <Loading what="des demandes" /> : null}
      {result.error ? (
        <ErrorAlert error={result.error} retry={() => result.refetch()} title="La recherche n'a pas abouti" />
      ) : null}
      {data && data.total === 0 ? (
        <Empty title="Aucune demande ne correspond">
          Vérifiez l'orthographe du nom ou le numéro, élargissez les critères, ou{" "}
          <Link href="/demandes/nouvelle">enregistrez une nouvelle demande</Link>.
        </Empty>
      ) : null}
      {data && data.total > 0 ? (
        <>
          <p aria-live="polite">
            {frNumber(data.total)} demande{data.total > 1 ? "s" : ""} — page {page} sur {pages}
          </p>
          <Table
            caption="Demandes trouvées"
            noCaption
            fixed={false}
            headers={["Numéro unique", "Demandeur", "Statut", "Dépôt", "Valable jusqu'au", "Typologies", "Communes"]}
            data={data.items.map((d) => [
              <Link key="n" href={`/demandes/${d.numeroUnique}`}>
                {d.numeroUnique}
              </Link>,
              d.demandeur ? `${d.demandeur.nom.toUpperCase()} ${d.demandeur.prenom}` : "—",
              <Badge
                key="s"
                small
                severity={d.statut === "active" ? "success" : d.statut === "radiated" ? "error" : "info"}
                noIcon
              >
                {statusLabels[d.statut] ?? d.statut}
              </Badge>,
              frDate(d.dateDepot),
              frDate(d.validUntil),
              d.typologies.join(", "),
              d.communes.join(", "),
            ])}
          />
          {pages > 1 ? (
            <Pagination
              count={pages}
              defaultPage={page}
              getPageLinkProps={(p) => ({ href: hrefOf(criteria, p) })}
              showFirstLast
            />
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
