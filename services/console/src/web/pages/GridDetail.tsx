import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { type Condition, GridRules, type GridRulesInput, type PointsRule } from "@logis/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { BarChart } from "../BarChart";
import { ErrorAlert, Facts, Loading, Page, usePaged } from "../components";
import { can } from "../lib/access";
import { cotation, errorData, messageOf, query } from "../lib/api";
import { frDate, frDateTime, frNumber, frPercent, isoFromFr, todayInParis } from "../lib/format";
import { epciName } from "../lib/organisations";
import { navigate } from "../lib/router";
import { useSession } from "../lib/session";
import { issuesByPath } from "../lib/zod-fr";
import { kindLabels } from "./Grids";

type Simulation = Awaited<ReturnType<typeof cotation.simulate.mutate>>;
type Grid = Awaited<ReturnType<typeof cotation.updateDraft.mutate>>;

const ops: Record<string, string> = {
  is: "est",
  in: "parmi",
  notIn: "hors de",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  between: "entre",
  hasAny: "contient l'un de",
  hasAll: "contient tous",
  hasNone: "ne contient aucun de",
  inEpci: "dans l'EPCI",
};

function conditionText(c: Condition): string {
  switch (c.op) {
    case "is":
      return `${c.fact} ${c.value ? "vrai" : "faux"}`;
    case "in":
    case "notIn":
    case "hasAny":
    case "hasAll":
    case "hasNone":
      return `${c.fact} ${ops[c.op]} ${c.values.join(", ")}`;
    case "between":
      return `${c.fact} entre ${frNumber(c.min)} et ${frNumber(c.max)}`;
    case "inEpci":
      return `${c.fact} dans l'EPCI`;
    default:
      return `${c.fact} ${ops[c.op] ?? c.op} ${frNumber(c.value)}`;
  }
}

function pointsText(p: PointsRule): string {
  if (p.kind === "fixed") return `${frNumber(p.points)} points`;
  if (p.kind === "perUnit")
    return `${frNumber(p.pointsPerUnit)} par unité de ${p.fact}${p.cap ? `, au plus ${frNumber(p.cap)}` : ""}`;
  return p.bands
    .map((b) => `${frNumber(b.from)}${b.to !== undefined ? `–${frNumber(b.to)}` : "+"} : ${frNumber(b.points)}`)
    .join(" ; ");
}

function SimulationView({ sim }: { sim: Simulation }) {
  const after = sim.after;
  const before = sim.before;
  const histAfter = useMemo(
    () => ({
      categories: after.histogram.map((b) => `${frNumber(Math.round(b.from))}–${frNumber(Math.round(b.to))}`),
      series: [{ name: "Brouillon", values: after.histogram.map((b) => b.count), color: "#000091" }],
    }),
    [after],
  );
  const histBefore = useMemo(
    () =>
      before
        ? {
            categories: before.histogram.map((b) => `${frNumber(Math.round(b.from))}–${frNumber(Math.round(b.to))}`),
            series: [{ name: "Grille en vigueur", values: before.histogram.map((b) => b.count), color: "#6a6af4" }],
          }
        : undefined,
    [before],
  );
  const shifts = useMemo(
    () =>
      sim.rankShift
        ? {
            categories: sim.rankShift.map(
              (b) => `${b.from > 0 ? "+" : ""}${frNumber(b.from)} à ${b.to > 0 ? "+" : ""}${frNumber(b.to)}`,
            ),
            series: [{ name: "Demandes", values: sim.rankShift.map((b) => b.count), color: "#009081" }],
          }
        : undefined,
    [sim.rankShift],
  );
  const peak = after.histogram.reduce((m, b) => (b.count > m.count ? b : m), { from: 0, to: 0, count: 0 });
  return (
    <section aria-labelledby="sim-title" className={fr.cx("fr-mt-4w")}>
      <h2 id="sim-title" className={fr.cx("fr-h3")}>
        Simulation sur {frNumber(sim.demandes)} demandes au {frDate(sim.asOf)}
      </h2>
      <Table
        caption="Notes avant et après"
        fixed={false}
        headers={["", "Moyenne", "Médiane", "9e décile", "Maximum"]}
        data={[
          ...(before
            ? [
                [
                  "Grille en vigueur",
                  frNumber(before.mean),
                  frNumber(before.median),
                  frNumber(before.p90),
                  frNumber(before.max),
                ],
              ]
            : []),
          ["Brouillon", frNumber(after.mean), frNumber(after.median), frNumber(after.p90), frNumber(after.max)],
        ]}
      />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", histBefore ? "fr-col-lg-6" : "fr-col-lg-12")}>
          <h3 className={fr.cx("fr-h5")}>Distribution des notes avec le brouillon</h3>
          <BarChart
            testId="chart-distribution"
            {...histAfter}
            xName="Note"
            yName="Demandes"
            description={`Distribution des notes avec le brouillon, en ${after.histogram.length} tranches : la tranche la plus fournie va de ${frNumber(
              Math.round(peak.from),
            )} à ${frNumber(Math.round(peak.to))} points avec ${frNumber(peak.count)} demandes ; note médiane ${frNumber(after.median)}.`}
          />
        </div>
        {histBefore && before ? (
          <div className={fr.cx("fr-col-12", "fr-col-lg-6")}>
            <h3 className={fr.cx("fr-h5")}>Distribution avec la grille en vigueur</h3>
            <BarChart
              testId="chart-distribution-before"
              {...histBefore}
              xName="Note"
              yName="Demandes"
              description={`Distribution des notes avec la grille en vigueur : note médiane ${frNumber(before.median)}, maximum ${frNumber(before.max)}.`}
            />
          </div>
        ) : null}
      </div>
      {shifts && sim.rankShift ? (
        <>
          <h3 className={fr.cx("fr-h5")}>Déplacements de rang (positif : mieux classée avec le brouillon)</h3>
          <BarChart
            testId="chart-rank-shift"
            {...shifts}
            xName="Places gagnées ou perdues"
            yName="Demandes"
            description={`Déplacements de rang entre la grille en vigueur et le brouillon : ${frNumber(
              sim.rankShift.filter((b) => b.from > 0).reduce((s, b) => s + b.count, 0),
            )} demandes gagnent des places, ${frNumber(sim.rankShift.filter((b) => b.to <= 0).reduce((s, b) => s + b.count, 0))} restent ou en perdent.`}
          />
        </>
      ) : (
        <Alert
          severity="info"
          small
          description="Aucune grille n'est encore publiée pour ce type : pas de comparaison de rang."
          className={fr.cx("fr-mb-3w")}
        />
      )}
      {sim.movers ? (
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          {(["up", "down"] as const).map((way) => (
            <div key={way} className={fr.cx("fr-col-12", "fr-col-lg-6")}>
              <Table
                caption={way === "up" ? "Plus fortes progressions" : "Plus forts reculs"}
                fixed={false}
                headers={["Demande", "Note avant", "Note après", "Rang avant", "Rang après"]}
                data={(sim.movers?.[way] ?? []).map((m) => [
                  m.numeroUnique,
                  frNumber(m.scoreBefore),
                  frNumber(m.scoreAfter),
                  frNumber(m.rankBefore),
                  frNumber(m.rankAfter),
                ])}
              />
            </div>
          ))}
        </div>
      ) : null}
      {sim.topN ? (
        <Table
          caption={`Entrées et sorties des ${frNumber(sim.topN.n)} premières demandes, par typologie`}
          fixed={false}
          headers={["Typologie", "Entrent", "Sortent", "Part prioritaire avant", "Part prioritaire après"]}
          data={sim.topN.byTypology.map((t) => [
            t.typologie,
            frNumber(t.entering),
            frNumber(t.leaving),
            frPercent(t.priorityShareBefore),
            frPercent(t.priorityShareAfter),
          ])}
        />
      ) : null}
    </section>
  );
}

const gridFieldId = (path: string) => `g-${path.replace(/\./g, "-")}`;
/** `rules.rubriques[0].criteres[1].points.points` → `rubriques.0.criteres.1.points.points`. */
const dotted = (field: string) => field.replace(/^rules\./, "").replace(/\[(\d+)\]/g, ".$1");

/** Edits a draft's numbers (points, per-unit points and caps, rubric caps), checked by the API's schema, then by the service. */
function RulesEditor({ grid, onSaved, onCancel }: { grid: Grid; onSaved: () => void; onCancel: () => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => {
    const v: Record<string, string> = {};
    grid.rules.rubriques.forEach((r, i) => {
      if (r.plafond !== undefined) v[`rubriques.${i}.plafond`] = String(r.plafond);
      r.criteres.forEach((c, j) => {
        const p = `rubriques.${i}.criteres.${j}.points`;
        if (c.points.kind === "fixed") v[`${p}.points`] = String(c.points.points);
        if (c.points.kind === "perUnit") {
          v[`${p}.pointsPerUnit`] = String(c.points.pointsPerUnit);
          if (c.points.cap !== undefined) v[`${p}.cap`] = String(c.points.cap);
        }
      });
    });
    return v;
  });
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState(new Map<string, string>());
  const summary = useRef<HTMLDivElement>(null);
  const toNumber = (t: string | undefined) =>
    t === undefined || t.trim() === "" ? undefined : Number(t.replace(",", "."));
  const build = () => {
    const rules = structuredClone(grid.rules);
    rules.rubriques.forEach((r, i) => {
      const cap = toNumber(values[`rubriques.${i}.plafond`]);
      if (cap === undefined) delete r.plafond;
      else r.plafond = cap;
      r.criteres.forEach((c, j) => {
        const p = `rubriques.${i}.criteres.${j}.points`;
        if (c.points.kind === "fixed") c.points.points = toNumber(values[`${p}.points`]) ?? Number.NaN;
        if (c.points.kind === "perUnit") {
          c.points.pointsPerUnit = toNumber(values[`${p}.pointsPerUnit`]) ?? Number.NaN;
          const unitCap = toNumber(values[`${p}.cap`]);
          if (unitCap === undefined) delete c.points.cap;
          else c.points.cap = unitCap;
        }
      });
    });
    return rules;
  };
  const save = useMutation({
    mutationFn: (rules: GridRulesInput) =>
      cotation.updateDraft.mutate({ id: grid.id, rules, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: onSaved,
    onError: (error) => {
      const field = errorData(error).field;
      if (field) {
        setErrors(new Map([[dotted(field), messageOf(error)]]));
        setTimeout(() => summary.current?.focus(), 0);
      }
    },
  });
  const submit = () => {
    const rules = build();
    const parsed = GridRules.safeParse(rules);
    if (!parsed.success) {
      setErrors(issuesByPath(parsed.error));
      setTimeout(() => summary.current?.focus(), 0);
      return;
    }
    setErrors(new Map());
    save.mutate(rules);
  };
  const label = (path: string) => {
    const m = path.match(/^rubriques\.(\d+)(?:\.criteres\.(\d+))?/);
    const r = grid.rules.rubriques[Number(m?.[1])];
    const c = m?.[2] !== undefined ? r?.criteres[Number(m[2])] : undefined;
    return c ? `${c.libelle} (${c.code})` : (r?.libelle ?? path);
  };
  const field = (path: string, text: string) => (
    <Input
      key={path}
      label={text}
      state={errors.get(path) ? "error" : "default"}
      stateRelatedMessage={errors.get(path)}
      nativeInputProps={{
        id: gridFieldId(path),
        inputMode: "decimal",
        value: values[path] ?? "",
        onChange: (e) => setValues((v) => ({ ...v, [path]: e.target.value })),
      }}
    />
  );
  return (
    <form
      className={fr.cx("fr-my-4w", "fr-p-3w")}
      style={{ border: "1px solid var(--border-default-grey)" }}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 className={fr.cx("fr-h5")}>Modifier les points et les plafonds</h2>
      <div ref={summary} tabIndex={-1}>
        {errors.size > 0 ? (
          <Alert
            severity="error"
            title="À corriger avant d'enregistrer"
            className={fr.cx("fr-mb-3w")}
            description={
              <ul>
                {[...errors.entries()].map(([path, message]) => (
                  <li key={path}>
                    <a href={`#${gridFieldId(path)}`}>
                      {label(path)} : {message}
                    </a>
                  </li>
                ))}
              </ul>
            }
          />
        ) : null}
      </div>
      {save.error && !errorData(save.error).field ? (
        <ErrorAlert error={save.error} title="Le brouillon n'a pas été enregistré" />
      ) : null}
      {grid.rules.rubriques.map((r, i) => (
        <fieldset key={r.code} className={fr.cx("fr-fieldset", "fr-mb-2w")}>
          <legend className={fr.cx("fr-fieldset__legend")}>{r.libelle}</legend>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")} style={{ width: "100%" }}>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              {field(`rubriques.${i}.plafond`, "Plafond de la rubrique (vide : aucun)")}
            </div>
            {r.criteres.map((c, j) => {
              const p = `rubriques.${i}.criteres.${j}.points`;
              if (c.points.kind === "fixed")
                return (
                  <div key={c.code} className={fr.cx("fr-col-12", "fr-col-md-4")}>
                    {field(`${p}.points`, `${c.libelle} : points`)}
                  </div>
                );
              if (c.points.kind === "perUnit")
                return (
                  <div key={c.code} className={fr.cx("fr-col-12", "fr-col-md-4")}>
                    {field(`${p}.pointsPerUnit`, `${c.libelle} : points par unité`)}
                    {field(`${p}.cap`, `${c.libelle} : au plus (vide : sans plafond)`)}
                  </div>
                );
              return null;
            })}
          </div>
        </fieldset>
      ))}
      <Input
        label="Note de version"
        hintText="facultatif : ce qui change et pourquoi"
        nativeInputProps={{ value: note, onChange: (e) => setNote(e.target.value) }}
      />
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <Button type="submit" iconId="fr-icon-save-line" disabled={save.isPending}>
          Enregistrer le brouillon
        </Button>
        <Button type="button" priority="tertiary" onClick={onCancel}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

/** One grid version: its rubrics and criteria, its history; for a draft, the what-if and publication. */
export function GridDetail({ id }: { id: string }) {
  const session = useSession();
  const principal = session?.principal;
  const queryClient = useQueryClient();
  const grid = useQuery({ queryKey: ["grid", id], queryFn: () => query(cotation.grid)({ id }) });
  const [topN, setTopN] = useState("50");
  const [editing, setEditing] = useState(false);
  const [effectiveFrom, setEffectiveFrom] = useState(frDate(todayInParis()));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["grid", id] });
    void queryClient.invalidateQueries({ queryKey: ["grids"] });
  };
  const simulate = useMutation({
    mutationFn: () => cotation.simulate.mutate({ id, topN: Math.max(1, Math.min(1000, Number(topN) || 50)) }),
    onSuccess: refresh,
  });
  const publish = useMutation({
    mutationFn: () => cotation.publish.mutate({ id, effectiveFrom: isoFromFr(effectiveFrom) }),
    onSuccess: refresh,
  });
  const copy = useMutation({
    mutationFn: () => {
      const g = grid.data;
      if (!g) throw new Error("Grille non chargée : rechargez la page.");
      return cotation.createDraft.mutate({ epci: g.epci, kind: g.kind, nom: g.nom, rules: g.rules });
    },
    onSuccess: (created) => {
      refresh();
      navigate(`/grilles/${encodeURIComponent(created.id)}`);
    },
  });
  const g = grid.data;
  const historyPages = usePaged(g?.history ?? []);
  const publishField = errorData(publish.error).field;
  return (
    <Page title={g ? `${g.nom} — version ${g.version}` : "Grille de cotation"}>
      {grid.isPending ? <Loading what="de la grille" /> : null}
      {grid.error ? (
        <ErrorAlert error={grid.error} retry={() => grid.refetch()} title="La grille n'a pas pu être lue" />
      ) : null}
      {g ? (
        <>
          <p>
            <Badge severity={g.status === "published" ? "success" : "new"} noIcon>
              {g.status === "published" ? "Publiée" : "Brouillon"}
            </Badge>
          </p>
          <Facts
            items={[
              ["EPCI", epciName(g.epci)],
              ["Type", kindLabels[g.kind] ?? g.kind],
              ["Date d'effet", frDate(g.effectiveFrom)],
              ["Publiée le", frDateTime(g.publishedAt)],
              ["Dernière simulation", frDateTime(g.simulatedAt)],
              ["Plafond général", g.rules.plafond ? frNumber(g.rules.plafond) : "aucun"],
            ]}
          />
          {g.status === "draft" && principal && can(principal, "grid.edit") ? (
            <form
              className={fr.cx("fr-mb-3w")}
              onSubmit={(e) => {
                e.preventDefault();
                simulate.mutate();
              }}
            >
              <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
                <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
                  <Input
                    label="Taille du haut de classement (N)"
                    hintText="entrées et sorties des N premières, 1 à 1000"
                    nativeInputProps={{
                      type: "number",
                      min: 1,
                      max: 1000,
                      value: topN,
                      onChange: (e) => setTopN(e.target.value),
                    }}
                  />
                </div>
                <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                  <Button type="submit" iconId="fr-icon-play-line" disabled={simulate.isPending}>
                    {simulate.isPending ? "Simulation…" : "Simuler sur le stock"}
                  </Button>
                </div>
              </div>
            </form>
          ) : null}
          {g.status === "draft" && principal && can(principal, "grid.edit") && !editing ? (
            <p>
              <Button iconId="fr-icon-edit-line" priority="secondary" onClick={() => setEditing(true)}>
                Modifier les points et les plafonds
              </Button>
            </p>
          ) : null}
          {editing && g.status === "draft" ? (
            <RulesEditor
              grid={g}
              onCancel={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                simulate.reset();
                refresh();
              }}
            />
          ) : null}
          {simulate.error ? <ErrorAlert error={simulate.error} title="La simulation n'a pas abouti" /> : null}
          {simulate.isPending ? <Loading what="de la simulation" /> : null}
          {simulate.data ? <SimulationView sim={simulate.data} /> : null}
          {g.status === "draft" && principal && can(principal, "grid.publish") ? (
            <form
              className={fr.cx("fr-my-4w", "fr-p-3w")}
              style={{ border: "1px solid var(--border-default-grey)" }}
              onSubmit={(e) => {
                e.preventDefault();
                publish.mutate();
              }}
            >
              <h2 className={fr.cx("fr-h5")}>Publier cette version</h2>
              <p className={fr.cx("fr-text--sm")}>
                Une version publiée est immuable. La publication demande une simulation de son dernier état.
              </p>
              {publish.error && !publishField ? (
                <ErrorAlert error={publish.error} title="La publication n'a pas abouti" />
              ) : null}
              <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
                <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
                  <Input
                    label="Date d'effet"
                    hintText="jj/mm/aaaa, aujourd'hui ou plus tard"
                    state={publishField === "effectiveFrom" ? "error" : "default"}
                    stateRelatedMessage={publishField === "effectiveFrom" ? publish.error?.message : undefined}
                    nativeInputProps={{ value: effectiveFrom, onChange: (e) => setEffectiveFrom(e.target.value) }}
                  />
                </div>
                <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                  <Button type="submit" iconId="fr-icon-send-plane-line" disabled={publish.isPending}>
                    Publier
                  </Button>
                </div>
              </div>
            </form>
          ) : null}
          {publish.isSuccess ? (
            <Alert
              severity="success"
              title="Grille publiée"
              description={`En vigueur à partir du ${frDate(publish.data.effectiveFrom)}.`}
              className={fr.cx("fr-mb-3w")}
            />
          ) : null}
          {g.status === "published" && principal && can(principal, "grid.edit") ? (
            <p>
              <Button
                iconId="fr-icon-file-add-line"
                priority="secondary"
                onClick={() => copy.mutate()}
                disabled={copy.isPending}
              >
                Créer un brouillon à partir de cette version
              </Button>
            </p>
          ) : null}
          {copy.error ? <ErrorAlert error={copy.error} title="Le brouillon n'a pas pu être créé" /> : null}
          <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Rubriques et critères</h2>
          {g.rules.rubriques.map((r) => (
            <Table
              key={r.code}
              caption={`${r.libelle} — ${r.mode === "best" ? "seul le meilleur critère compte" : "les critères s'additionnent"}${
                r.plafond ? `, plafond ${frNumber(r.plafond)}` : ""
              }`}
              fixed={false}
              headers={["Code", "Critère", "Conditions", "Points", "Justificatif"]}
              data={r.criteres.map((c) => [
                c.code,
                c.libelle,
                (c.when ?? []).map(conditionText).join(" et ") || "toujours",
                pointsText(c.points),
                c.preuve ? `${c.preuve.justificatifs.join(", ")} (${c.preuve.niveau})` : "—",
              ])}
            />
          ))}
          <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Historique</h2>
          <Table
            caption="Historique de la version"
            noCaption
            fixed={false}
            headers={["Date", "Action", "Par", "Note"]}
            data={historyPages.shown.map((h) => [frDateTime(h.at), h.action, h.byName, h.note ?? "—"])}
          />
          {historyPages.pager}
        </>
      ) : null}
    </Page>
  );
}
