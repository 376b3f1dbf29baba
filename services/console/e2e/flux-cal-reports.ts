import { readFileSync } from "node:fs";
import { demoUsers, type Principal } from "@logis/auth";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mongoDemandDirectory } from "../../cal/src/adapters/mongo/demands.js";
import { examineEligibility, type UnitFacts } from "../../cal/src/domain/eligibility.js";
import { metzCommission } from "../../cal/src/domain/testing/commission.js";
import { family, metzT3 } from "../../cal/src/domain/testing/fixtures.js";
import { loadReferenceGrid } from "../../cotation/src/adapters/files/reference-data.js";
import { type Area, type ConsolePlatform, openArea, waitFor } from "./browser.js";
import type { Shared } from "./console.int.test.js";

// The flux, CAL and reporting pages in headless Chromium: a Moselle landlord's conventions, units
// freed and oriented by flux's own consumer, the year's ledger, chart and balance CSV, an override
// with its written reason; a CAL session from the calendar to the lease; the territory's statistics
// and the legal objectives; axe on every page.

const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
const year = Number(today.slice(0, 4));
const rpls = ["5700F00001", "5700F00002", "5700F00003", "5700F00004"];
/** Freeing days this year, never after today: from 1 January onwards, a day apart at most. */
const freedOn = (i: number) => {
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 40 * (rpls.length - 1 - i));
  const iso = d.toISOString().slice(0, 10);
  return iso < `${year}-01-01` ? `${year}-01-01` : iso;
};

const prefet = {
  id: "org_demo_ddets_57",
  nom: "Préfet de la Moselle (publics prioritaires)",
  type: "prefet_prioritaires",
};
const actionLogement = { id: "org_demo_action_logement", nom: "Action Logement Services", type: "action_logement" };
const commissionId = `com_e2e${Date.now().toString(36)}`;
const att = `att_5700E2E999_${today}`;
/** A second unit proposed to the CAL: on the agenda of the session that is cancelled, then planned again. */
const att2 = `att_5700E2E998_${today}`;
/** A unit freed last year: its ledger is the one closed. */
const lastYearUnit = "5700F00005";
const secretary = { principal: demoUsers.bailleur57, correlationId: "cor_e2e", requestId: "req_e2e" };
const attOf = (rplsId: string) => `att_${rplsId}_${freedOn(rpls.indexOf(rplsId))}`;

/** A desk agent of the Moselle (no demo user registers there): the households cotation ranks in Metz. */
const guichet57: Principal = {
  userId: "usr_e2e_guichet_57",
  name: "Agent de guichet de la Moselle (tests)",
  organisation: { id: "org_demo_bailleur_57", kind: "desk", name: "Guichet Moselis", guichet: "057000123" },
  roles: ["desk-agent"],
  territories: { departements: ["57"], epcis: [] },
};

/**
 * Metz Métropole's grid published in cotation, and three families registered in the Moselle who
 * wish a T4 in Metz: what the landlord proposes from once a unit is handed back to it.
 */
async function seedMetzRanking(platform: ConsolePlatform): Promise<string[]> {
  const grid = loadReferenceGrid("synthetique");
  const draft = await platform.as("epci57", "cotation", "POST", "/v1/grilles", {
    epci: "200039865",
    kind: "unique",
    nom: "Grille de Metz Métropole",
    rules: grid.rules,
  });
  if (draft.status !== 201) throw new Error(`Metz grid: ${JSON.stringify(draft.body)}`);
  const id = draft.body.id as string;
  await platform.as("epci57", "cotation", "POST", `/v1/grilles/${id}/simulation`, { topN: 10 });
  const published = await platform.as("epci57", "cotation", "POST", `/v1/grilles/${id}/publication`, {
    effectiveFrom: today,
  });
  if (published.status !== 200) throw new Error(`Metz grid publication: ${JSON.stringify(published.body)}`);
  const numeros = await platform.registerDemands(
    3,
    570,
    (d) => {
      d.departement = "57";
      delete d.cotitulaire;
      d.demandeur.situationFamiliale = "C";
      d.demandeur.situationProfessionnelle = { typeContrat: "CDI" };
      d.personnesACharge = [2014, 2017].map((y, k) => ({
        nom: d.demandeur.nom,
        prenom: k === 0 ? "Léa" : "Hugo",
        dateNaissance: `${y}-05-1${k}`,
        lienParente: "E" as const,
      }));
      d.demandeur.ressources = {
        mensuelles: [
          { type: "SAL", montant: 2100 },
          { type: "AF", montant: 148.52 },
        ],
        revenuFiscal: { anneeN2: year - 2, montantN2: 23_100 },
      };
      d.logementActuel = { modele: "LP", nombreOccupants: 3, loyerMensuel: 610, surface: 45 };
      d.souhaits = { typologies: ["T4"], communes: ["57463"], demandeElargie: false };
    },
    guichet57,
  );
  // Cotation scores them under Metz's grid once its consumer has read them.
  await waitFor(async () => {
    const scored = await Promise.all(
      numeros.map((n) => platform.as("epci57", "cotation", "GET", `/v1/demandes/${n}/cotation`)),
    );
    return scored.every((r) => r.status === 200);
  }, 60_000);
  return numeros;
}

/** A Moselle landlord's two conventions, four units freed this year and oriented by flux's own consumer. */
export async function seedFlux(platform: ConsolePlatform) {
  for (const [reservataire, over] of [
    [prefet, { fondement: "contingent_legal" }],
    [actionLogement, { fondement: "financement", logementRendu: "ne_compte_pas" }],
  ] as const) {
    const res = await platform.as("bailleur57", "flux", "POST", "/v1/conventions", {
      reservataire,
      departement: "57",
      conditions: {
        pourcentage: 25,
        ventilation: [],
        delaiDesignationJours: 30,
        logementRendu: "compte",
        validFrom: `${year - 1}-01-01`,
        ...over,
      },
      signeLe: `${year - 1}-12-15`,
    });
    if (res.status !== 201) throw new Error(`convention: ${JSON.stringify(res.body)}`);
  }
  for (const [i, rplsId] of [...rpls, lastYearUnit].entries()) {
    const unit = await platform.as("bailleur57", "flux", "POST", "/v1/logements", {
      rplsId,
      idBailleur: `MOS-F${i}`,
      commune: "57463",
      adresse: `${i + 2} rue Mazelle`,
      codePostal: "57000",
      qpv: i === 1,
      nbPieces: 2 + (i % 3),
      surface: 48 + 10 * i,
      etage: i,
      ascenseur: i > 1,
      accessibilite: "accessible",
      anneeConstruction: 1965 + 10 * i,
      financement: i === 0 ? "PLAI" : "PLUS",
      loyer: 350 + 40 * i,
    });
    if (unit.status >= 300) throw new Error(`unit: ${JSON.stringify(unit.body)}`);
    const freed = await platform.as("bailleur57", "flux", "POST", `/v1/logements/${rplsId}/liberation`, {
      libereLe: rplsId === lastYearUnit ? `${year - 1}-06-15` : freedOn(i),
      motif: "depart",
    });
    if (freed.status !== 202) throw new Error(`free: ${JSON.stringify(freed.body)}`);
  }
  // Flux's own consumer orients each freed unit: wait until the four are, and until the year's
  // ledger counts them (it is written just after each unit's vacancy).
  await waitFor(async () => {
    const res = await platform.as("prefecture57", "flux", "GET", `/v1/orientations?departement=57&annee=${year}`);
    return Array.isArray(res.body) && res.body.length === rpls.length;
  });
  await waitFor(async () => {
    const res = await platform.as("bailleur57", "flux", "GET", `/v1/bilans?departement=57&annee=${year}`);
    return res.status === 200 && res.body.fluxBrut === rpls.length;
  });
  await waitFor(async () => {
    const res = await platform.as("bailleur57", "flux", "GET", `/v1/bilans?departement=57&annee=${year - 1}`);
    return res.status === 200 && res.body.fluxBrut === 1;
  });
  // The demands a reserver designates: registered at the desk, known to the CAL as active (its consumer
  // of registration's events), and the CAL's attributions opened from flux's orientations.
  const cal = platform.cal;
  if (!cal) throw new Error("cal not started");
  await waitFor(async () => {
    const found = await Promise.all(
      rpls.map((r) => platform.as("bailleur57", "cal", "GET", `/v1/attributions/${attOf(r)}`)),
    );
    return found.every((f) => f.status === 200);
  });
  // Three households the CAL finds eligible for the unit freed today (its own examination, on the
  // facts its consumer of registration's events holds).
  const unit = (await platform.as("bailleur57", "cal", "GET", `/v1/attributions/${attOf(rpls[3] ?? "")}`)).body
    .unite as UnitFacts;
  // People living alone on a modest wage, who wish a T2 and accept any commune (demande élargie).
  const registered = await platform.registerDemands(5, 57, (d) => {
    delete d.cotitulaire;
    d.personnesACharge = [];
    d.demandeur.situationFamiliale = "C";
    d.demandeur.situationProfessionnelle = { typeContrat: "CDI" };
    d.demandeur.ressources = {
      mensuelles: [{ type: "SAL", montant: 1900 }],
      revenuFiscal: { anneeN2: year - 2, montantN2: 20_900 },
    };
    d.logementActuel = { modele: "LP", nombreOccupants: 1, loyerMensuel: 520, surface: 28 };
    d.souhaits = { ...d.souhaits, typologies: ["T2"], demandeElargie: true };
  });
  const ranked = await seedMetzRanking(platform);
  const directory = mongoDemandDirectory(cal.db);
  let known: Awaited<ReturnType<typeof directory.byNumero>>[] = [];
  await waitFor(async () => {
    known = await Promise.all(registered.map((n) => directory.byNumero(n)));
    const families = await Promise.all(ranked.map((n) => directory.byNumero(n)));
    return [...known, ...families].every((k) => k?.statut === "active" && k.facts !== undefined);
  });
  const numeros = known
    .filter((k) => k?.facts && examineEligibility(unit, k.facts, cal.referentiel, today).eligible)
    .map((k) => k?.numeroUnique ?? "")
    .slice(0, 3);
  if (numeros.length < 3) {
    const why = known.map((k) =>
      k?.facts ? examineEligibility(unit, k.facts, cal.referentiel, today).refus.map((x) => x.regle) : [],
    );
    throw new Error(
      `only ${numeros.length} of ${registered.length} households eligible for ${rpls[3]}: ${JSON.stringify(why)}`,
    );
  }
  // The unit the reserver hands back (a T4 in Metz): the families are eligible for it.
  const handedBack = (await platform.as("bailleur57", "cal", "GET", `/v1/attributions/${attOf(rpls[2] ?? "")}`)).body
    .unite as UnitFacts;
  const families = await Promise.all(ranked.map((n) => directory.byNumero(n)));
  const refused = families.map((k) =>
    k?.facts ? examineEligibility(handedBack, k.facts, cal.referentiel, today).refus.map((x) => x.regle) : ["?"],
  );
  if (refused.some((r) => r.length > 0))
    throw new Error(`Moselle families not eligible for ${rpls[2]}: ${JSON.stringify(refused)}`);
  return { numeros, ranked };
}

/** Orients a unit to a reserver through flux's API (landlord staff), unless it is already. */
async function orientTo(platform: ConsolePlatform, rplsId: string, reservataireId: string) {
  const now = await platform.as("bailleur57", "flux", "GET", `/v1/logements/${rplsId}/orientation`);
  if ((now.body.cible as { reservataireId?: string } | null)?.reservataireId === reservataireId) return;
  const res = await platform.as("bailleur57", "flux", "POST", `/v1/logements/${rplsId}/orientation/derogation`, {
    reservataireId,
    motif: "Réorientation préparée par le test de bout en bout",
  });
  if (res.status !== 200) throw new Error(`override: ${JSON.stringify(res.body)}`);
}

/** A Moselle CAL, and a unit whose three candidates are proposed (in-process: the CAL has no route for it yet). */
export async function seedCal(platform: ConsolePlatform) {
  const { _id: _i, revision: _r, ...fields } = metzCommission;
  const res = await platform.as("bailleur57", "cal", "POST", "/v1/commissions", {
    ...fields,
    id: commissionId,
    bailleurId: "org_demo_bailleur_57",
  });
  if (res.status !== 201) throw new Error(`commission: ${JSON.stringify(res.body)}`);
  const cal = platform.cal;
  if (!cal) throw new Error("cal not started");
  for (const [id, rplsId] of [
    [att, "5700E2E999"],
    [att2, "5700E2E998"],
  ] as const)
    await cal.uc.attributions.handle({ principal: demoUsers.bailleur57, correlationId: "cor_e2e" }, id, {
      type: "ProposeCandidates",
      id,
      bailleurId: "org_demo_bailleur_57",
      unit: metzT3({ rplsId }),
      libereLe: today,
      cible: { reservataireId: "org_demo_ddets_57", conventionId: null, codeSne: "PPRIOR" },
      source: "bailleur",
      candidats: [1, 2, 3].map((n) => ({
        demandId: `dem_e2e${n}`,
        numeroUnique: `57112600000000${40 + n}KX`,
        facts: family(),
        justification: `Classé ${n}e par la cotation de Metz Métropole`,
        rangCotation: { rank: n, of: 120 },
      })),
    });
}

/** Four demands in the Rhône, counted by reporting's consumer (it reads registration's events). */
export async function seedReports(platform: ConsolePlatform) {
  await platform.registerDemands(4);
  await waitFor(async () => {
    const res = await platform.as("prefecture", "reporting", "GET", "/v1/statistiques/demandes?departement=69");
    return ((res.body.ensemble as { actives?: number } | undefined)?.actives ?? 0) >= 4;
  });
}

export function fluxCalReportsArea(shared: Shared) {
  let platform: ConsolePlatform;
  /** While true, flux's calls fail on purpose: their 502 is expected. */
  let outage = false;
  let area: Area;
  let page: Page;
  /**
   * The unit freed today (its designation deadline still ahead), which the landlord orients to Action
   * Logement, and which Action Logement then fills with its candidates.
   */
  const chosen = rpls[3] ?? "";
  let numeros: string[] = [];
  /** The Moselle families cotation ranks in Metz (see seedMetzRanking). */
  let ranked: string[] = [];
  const axe = (name: string, whole = false) => area.axe(name, whole);
  const shot = (name: string) => area.shot(name);
  const signIn = (name: string) => area.signIn(name);
  const menu = (name: string) => area.menu(name);

  beforeAll(async () => {
    platform = shared.platform;
    // Expected refusals: a reason too short, a bad numéro unique, a proposal before the reserver's
    // deadline; the calendar looking up the sessions of days not scheduled yet (404).
    area = await openArea(
      shared.browser,
      platform.base,
      (status, url) =>
        (status === 400 && url.includes("overrideOrientation")) ||
        (status === 400 && url.includes("/svc/cal/trpc/designate")) ||
        (status === 422 && url.includes("/svc/cal/trpc/proposeCandidates")) ||
        (status === 404 && url.includes("/svc/cal/trpc/getSession")) ||
        // The forecast of a year is read with the previous year's balance, which may not exist.
        (status === 404 && url.includes("/svc/flux/trpc/balance")) ||
        // Flux made to fail on purpose (the error states' test).
        (outage && status === 502 && url.includes("/svc/flux/trpc/")),
    );
    page = area.page;
  }, 120_000);

  afterEach(async (test) => {
    if (test.task.result?.state === "fail") await shot(`echec-${test.task.name.slice(0, 30).replace(/\W+/g, "-")}`);
  });

  afterAll(() => area?.close());

  describe("flux: the year's ledger, its course and the freed units' orientation", () => {
    beforeAll(async () => {
      ({ numeros, ranked } = await shared.seeds.flux());
    }, 120_000);

    it("a landlord sees its ledger per convention, the year's chart, each freed unit oriented with its reason, and downloads the balance", async () => {
      await signIn("Claire Muller");
      await menu("Orientations et bilan");
      await page.getByRole("heading", { name: "Orientations et bilan du flux" }).waitFor();
      const ledger = page.getByRole("table", { name: `Registre ${year} par convention et réservataire` });
      await ledger.getByRole("cell", { name: prefet.nom }).waitFor();
      await ledger.getByRole("cell", { name: actionLogement.nom }).waitFor();
      expect(await page.locator(".logis-facts div", { hasText: "Flux brut" }).locator("dd").textContent()).toBe("4");

      const chart = page.getByTestId("chart-flux-course");
      await chart.locator("svg").waitFor();
      expect(await chart.getAttribute("aria-label")).toMatch(/Cours du flux \d{4} .* 4 logements libérés/);
      expect(await chart.locator("text", { hasText: "Logements libérés dans le mois" }).count()).toBeGreaterThan(0);

      const freed = page.getByRole("table", { name: `Logements libérés en ${year}` });
      for (const [i, rplsId] of rpls.entries()) {
        const row = freed.getByRole("row", { name: new RegExp(rplsId) });
        const [y, m, d] = freedOn(i).split("-");
        // The unit freed today also carries today in its orientation column: the first such cell is the freeing day.
        await row
          .getByRole("cell", { name: `${d}/${m}/${y}` })
          .first()
          .waitFor();
        expect(await row.textContent()).toMatch(/Orienté vers /);
      }
      await axe("flux bilan", true);
      await shot("11-flux-bilan");

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Télécharger le bilan (CSV pour tableur)" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`bilan-flux-org_demo_bailleur_57-57-${year}.csv`);
      const csv = readFileSync(await download.path(), "utf8");
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv).toContain(";");
      await page.getByText(/Fichier bilan-flux-.* téléchargé/).waitFor();
    }, 90_000);

    it("the landlord overrides an orientation: a reason too short is refused at its field, a written reason is kept", async () => {
      const freed = page.getByRole("table", { name: `Logements libérés en ${year}` });
      // Oriented elsewhere than to Action Logement first (flux's API), so that the landlord can orient it there.
      const now = await platform.as("bailleur57", "flux", "GET", `/v1/logements/${chosen}/orientation`);
      if ((now.body.cible as { reservataireId?: string } | null)?.reservataireId === actionLogement.id) {
        await orientTo(platform, chosen, prefet.id);
        await page.reload();
      }
      const row = freed.getByRole("row", { name: new RegExp(chosen) });
      await row.getByRole("button", { name: "Déroger" }).click();
      const form = page.locator("form", { has: page.getByRole("heading", { name: /Déroger à l'orientation/ }) });
      await form.getByRole("button", { name: "Enregistrer la dérogation" }).click();
      await form.getByText("Choisissez le réservataire destinataire.").waitFor();
      const select = form.getByLabel("Nouveau réservataire");
      const target = actionLogement.nom;
      await select.selectOption({ label: target });
      await form.getByLabel("Motif écrit de la dérogation").fill("court");
      await form.getByRole("button", { name: "Enregistrer la dérogation" }).click();
      await form.locator(".fr-message--error").first().waitFor();
      await axe("dérogation en erreur");
      await shot("12-flux-derogation");
      const reason = "Relogement d'un ménage prioritaire désigné en commission";
      await form.getByLabel("Motif écrit de la dérogation").fill(reason);
      await form.getByRole("button", { name: "Enregistrer la dérogation" }).click();
      await page.getByText(/Orientation modifiée : le logement/).waitFor();
      await row.getByRole("cell", { name: `Dérogation : ${reason}` }).waitFor();
      expect(await row.textContent()).toContain(target);
    }, 90_000);

    it("the landlord's proposal from cotation's ranking waits for the reserver's designation deadline, and says so", async () => {
      await waitFor(async () => {
        const res = await platform.as("bailleur57", "cal", "GET", `/v1/attributions/${attOf(chosen)}`);
        return (res.body.cible as { reservataireId?: string } | undefined)?.reservataireId === actionLogement.id;
      });
      const freed = page.getByRole("table", { name: `Logements libérés en ${year}` });
      await freed
        .getByRole("row", { name: new RegExp(chosen) })
        .getByRole("link", { name: "Attribution" })
        .click();
      await page.getByRole("heading", { name: `Attribution du logement ${chosen}` }).waitFor();
      await page.locator(".logis-facts div", { hasText: "Orienté vers" }).getByText(actionLogement.nom).waitFor();
      await page.getByRole("button", { name: "Proposer les candidats classés par la cotation" }).click();
      await page.getByText(/Le réservataire désigne ses candidats jusqu'au/).waitFor();
      await axe("proposition du bailleur refusée");
      await shot("20-cal-attribution-bailleur");
    }, 90_000);

    it("a reserver reads the same landlord's year: its own ledger line only", async () => {
      await signIn("Thomas Klein");
      await menu("Orientations et bilan");
      const ledger = page.getByRole("table", { name: `Registre ${year} par convention et réservataire` });
      await ledger.getByRole("cell", { name: actionLogement.nom }).waitFor();
      expect(await ledger.locator("tbody tr").count()).toBe(1);
      await axe("flux bilan réservataire", true);
    }, 90_000);

    it("the reserver designates its candidates for a unit oriented to it (a bad number refused at its field), and hands another unit back", async () => {
      const freed = page.getByRole("table", { name: `Logements libérés en ${year}` });
      await freed
        .getByRole("row", { name: new RegExp(chosen) })
        .getByRole("link", { name: "Attribution" })
        .click();
      await page.getByRole("heading", { name: `Attribution du logement ${chosen}` }).waitFor();
      await page.getByText("candidats à désigner").waitFor();
      await page.getByText("Aucun candidat pour ce logement").waitFor();
      const numerosField = page.getByLabel("Numéros uniques des demandes désignées");
      await numerosField.fill("069-pas-un-numero");
      await page.getByRole("button", { name: "Enregistrer la désignation" }).click();
      // The CAL's own rule for a numéro unique, shown at the field.
      await page.getByText("numéro unique attendu (18 caractères)").waitFor();
      await axe("désignation en erreur");
      await numerosField.fill(numeros.join("\n"));
      await page.getByRole("button", { name: "Enregistrer la désignation" }).click();
      const candidates = page.getByRole("table", { name: `Candidats pour le logement ${chosen}` });
      for (const n of numeros) await candidates.getByRole("cell", { name: n }).waitFor();
      await candidates
        .getByRole("cell", { name: `Désigné par le réservataire ${actionLogement.nom}` })
        .first()
        .waitFor();
      await page.getByText("candidats proposés").waitFor();
      await axe("désignation");
      await shot("18-cal-designation");

      // Another unit oriented to the reserver (by the landlord, through flux's API) is handed back.
      const other = rpls[2] ?? "";
      await orientTo(platform, other, actionLogement.id);
      await menu("Orientations et bilan");
      const row = freed.getByRole("row", { name: new RegExp(other) });
      await row.getByRole("button", { name: "Rendre au bailleur" }).click();
      await page.getByText(new RegExp(`Logement ${other} rendu au bailleur le`)).waitFor();
      // Handed back, the unit is no longer the reserver's: it leaves its list, and its ledger line counts it.
      await waitFor(async () => (await row.count()) === 0, 15_000);
      const ledger = page.getByRole("table", { name: `Registre ${year} par convention et réservataire` });
      await expect
        .poll(async () => (await ledger.locator("tbody tr td").nth(5).textContent()) ?? "", { timeout: 15_000 })
        .toBe("1");
      await axe("logement rendu");
    }, 90_000);

    it("the landlord proposes the best-ranked eligible demands of cotation for the unit handed back to it", async () => {
      const other = rpls[2] ?? "";
      await waitFor(async () => {
        const res = await platform.as("bailleur57", "cal", "GET", `/v1/attributions/${attOf(other)}`);
        return typeof res.body.renduLe === "string";
      });
      await signIn("Claire Muller");
      await menu("Orientations et bilan");
      const freed = page.getByRole("table", { name: `Logements libérés en ${year}` });
      await freed
        .getByRole("row", { name: new RegExp(other) })
        .getByRole("link", { name: "Attribution" })
        .click();
      await page.getByRole("heading", { name: `Attribution du logement ${other}` }).waitFor();
      await page.getByText(/Le logement revient au bailleur/).waitFor();
      await page.getByRole("button", { name: "Proposer les candidats classés par la cotation" }).click();
      // Cotation's ranking of Metz Métropole, walked by the CAL over HTTP, each family examined.
      const candidates = page.getByRole("table", { name: `Candidats pour le logement ${other}` });
      for (const n of ranked) await candidates.getByRole("cell", { name: n }).waitFor();
      const ranks = await candidates.locator("tbody tr td:nth-child(3)").allTextContents();
      expect(ranks).toHaveLength(3);
      for (const r of ranks) expect(r).toMatch(/^\d+ sur \d+$/);
      await page.getByText("candidats proposés").waitFor();
      expect(await page.getByRole("button", { name: "Proposer les candidats classés par la cotation" }).count()).toBe(
        0,
      );
      await axe("proposition du bailleur");
      await shot("22-cal-proposition-bailleur");
    }, 90_000);

    it("the landlord declares next year's forecast of subtracted units, closes last year, and reads the forecast against the realised", async () => {
      await signIn("Claire Muller");
      await page.goto(`${platform.base}/flux/bilan?departement=57&annee=${year - 1}`);
      const basis = page.getByRole("table", {
        name: `Logements soustraits du flux ${year - 1} : prévision et réalisé`,
      });
      await basis
        .getByRole("row", { name: /Flux brut/ })
        .getByRole("cell", { name: "1", exact: true })
        .waitFor();
      const mutations = page.getByLabel("Mutations internes");
      await mutations.fill("deux");
      await page.getByRole("button", { name: `Enregistrer la prévision ${year}` }).click();
      await page.getByText("Indiquez un nombre entier de logements (0 si aucun).").waitFor();
      await mutations.fill("2");
      await page.getByLabel("Relogements (démolition)").fill("1");
      await page.getByRole("button", { name: `Enregistrer la prévision ${year}` }).click();
      await page.getByText(`Prévision ${year} enregistrée.`).waitFor();
      const total = basis.getByRole("row", { name: /Total soustrait/ });
      await expect
        .poll(async () => (await total.getByRole("cell").nth(3).textContent()) ?? "", { timeout: 15_000 })
        .toBe("3");
      await axe("assiette du flux");
      await page.getByRole("button", { name: `Clôturer l'exercice ${year - 1}` }).click();
      await page.getByText(new RegExp(`Exercice ${year - 1} clôturé le \\d{2}/\\d{2}/\\d{4}`)).waitFor();
      expect(await page.getByRole("button", { name: `Clôturer l'exercice ${year - 1}` }).count()).toBe(0);
      // Closed, the year still shows the forecast it published for the next.
      await expect
        .poll(async () => (await total.getByRole("cell").nth(3).textContent()) ?? "", { timeout: 15_000 })
        .toBe("3");
      await shot("19-flux-cloture");

      // This year's basis: the forecast declared above beside what is subtracted so far.
      await page.goto(`${platform.base}/flux/bilan?departement=57&annee=${year}`);
      const thisYear = page.getByRole("table", { name: `Logements soustraits du flux ${year} : prévision et réalisé` });
      const mutationRow = thisYear.getByRole("row", { name: /Mutations internes/ });
      await expect
        .poll(async () => (await mutationRow.getByRole("cell").nth(1).textContent()) ?? "", { timeout: 15_000 })
        .toBe("2");
      expect(await mutationRow.getByRole("cell").nth(2).textContent()).toBe("0");
      // This year is not over: it cannot be closed yet.
      expect(await page.getByRole("button", { name: `Clôturer l'exercice ${year}` }).count()).toBe(0);
      await axe("assiette du flux en cours");
    }, 90_000);
    it("empty and failing pages say what to do: a year without a register, then flux not answering, read again once it is back", async () => {
      // A year before any freed unit: the register and the list are empty, and say how they fill.
      await page.goto(`${platform.base}/flux/bilan?departement=57&annee=${year - 3}`);
      await page.getByText(`Pas encore de registre pour ${year - 3}`).waitFor();
      await page.getByText(/Le registre de l'année s'ouvre au premier logement libéré/).waitFor();
      await page.getByText(`Aucun logement libéré en ${year - 3}`).waitFor();
      await axe("bilan vide");
      await shot("23-flux-bilan-vide");

      // Flux stops answering: the console's server then answers 502 (src/server/proxy.ts) for its calls.
      outage = true;
      await page.route("**/svc/flux/trpc/**", (route) =>
        route.fulfill({
          status: 502,
          contentType: "application/json",
          body: JSON.stringify({
            error: {
              code: "UNAVAILABLE",
              message: "Service indisponible : réessayez dans un instant ou prévenez l'équipe d'exploitation",
            },
          }),
        }),
      );
      try {
        // A fresh load: nothing of flux in the page's cache.
        await page.goto(`${platform.base}/flux`);
        const failed = page.locator(".fr-alert", { hasText: "Les logements n'ont pas pu être lus" });
        await failed.getByText(/^Le service ne répond pas : réessayez dans un instant/).waitFor();
        await axe("service indisponible");
        await shot("24-service-indisponible");
        // Back: "Réessayer" reads again, without reloading the page.
        await page.unroute("**/svc/flux/trpc/**");
        await failed.getByRole("button", { name: "Réessayer" }).click();
        await page.getByRole("table", { name: "Logements" }).getByRole("cell", { name: rpls[0] }).waitFor();
        expect(await failed.count()).toBe(0);
      } finally {
        await page.unroute("**/svc/flux/trpc/**");
        outage = false;
      }
    }, 90_000);
  });

  describe("CAL: the calendar, a session's agenda, attendance and quorum, a decision, the offer, the minutes", () => {
    beforeAll(() => shared.seeds.cal(), 120_000);

    it("a CAL secretary schedules a session from the calendar, records attendance and a decision, closes it and prints the minutes", async () => {
      await signIn("Claire Muller");
      await menu("Commissions d'attribution");
      await page.getByRole("heading", { name: "Calendrier des séances" }).waitFor();
      // The commissions the secretary's landlord constituted, listed by the CAL: one opens its calendar.
      const commissions = page.getByRole("table", { name: "Commissions d'attribution" });
      await commissions
        .getByRole("row", { name: new RegExp(commissionId) })
        .getByText("Moselis")
        .waitFor();
      await axe("commissions");
      await commissions.getByRole("link", { name: commissionId }).click();
      await page.getByText("Aucune séance programmée").waitFor();
      const days = page.getByRole("table", { name: "Jours de séance" });
      const schedule = days.getByRole("button", { name: /^Programmer la séance du / }).first();
      await schedule.waitFor();
      const day = ((await schedule.textContent()) ?? "").replace("Programmer la séance du ", "");
      expect(day).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      await schedule.click();
      const open = days.getByRole("link", { name: `Ouvrir la séance du ${day}` });
      await open.waitFor();
      await axe("calendrier");
      await shot("13-cal-calendrier");

      const sessionId = decodeURIComponent((await open.getAttribute("href"))?.split("/").at(-1) ?? "");
      // A lease's occupancy to examine (CALEOL), planned in-process: the CAL has no route for it yet.
      const cal = platform.cal;
      if (!cal) throw new Error("cal not started");
      for (const [bailId, rplsId] of [
        ["bail_e2e_1", "5700E2E997"],
        ["bail_e2e_2", "5700E2E996"],
      ] as const)
        await cal.uc.sessions.changeSession(secretary, sessionId, {
          type: "PlanItem",
          item: { kind: "EXAMEN_OCCUPATION", bailId, rplsId, situation: "SOUS_OCCUPATION" },
        });
      await open.click();
      await page.getByRole("heading", { name: `Séance du ${day}` }).waitFor();
      const caleol = page.getByRole("table", { name: "Baux examinés par la commission (CALEOL)" });
      await caleol.getByRole("cell", { name: "sous-occupation" }).first().waitFor();
      expect(await caleol.getByRole("cell", { name: "à examiner" }).count()).toBe(2);

      // The secretary adds the unit whose candidates are proposed to the agenda (the reference is required).
      await page.getByRole("button", { name: "Ajouter à l'ordre du jour" }).click();
      await page.getByText("Indiquez la référence de l'attribution (att_…).").waitFor();
      await axe("ordre du jour en erreur");
      await page.getByLabel("Référence de l'attribution").fill(att);
      await page.getByRole("button", { name: "Ajouter à l'ordre du jour" }).click();
      const candidates = page.getByRole("table", { name: "Candidats pour le logement 5700E2E999" });
      await candidates
        .getByRole("cell", { name: /Classé 1e par la cotation de Metz Métropole \(rang 1 sur 120\)/ })
        .waitFor();
      expect(await candidates.getByText("éligible", { exact: true }).count()).toBe(3);
      await candidates.getByRole("button", { name: "Pourquoi ?" }).first().click();
      await candidates.getByText("Selon la CAL : Classé 1e par la cotation de Metz Métropole").waitFor();
      await page.getByText("Quorum non atteint").waitFor();

      // Before the session, the secretary orders the agenda: the unit goes up one place (saved by the CAL).
      const order = page.getByRole("table", { name: "Ordre d'examen des points" });
      const points = () => order.locator("tbody tr td:nth-child(2)").allTextContents();
      const unit = "Logement 5700E2E999";
      await order.getByRole("cell", { name: unit, exact: true }).waitFor();
      const at = (await points()).indexOf(unit);
      expect(at).toBeGreaterThan(0); // planned after the two leases
      await order
        .getByRole("row", { name: new RegExp(unit) })
        .getByRole("button", { name: "Monter" })
        .click();
      await waitFor(async () => (await points()).indexOf(unit) === at - 1, 15_000);
      await page.reload();
      await waitFor(async () => (await points()).indexOf(unit) === at - 1, 15_000);
      // …and takes a lease off it, with its reason ("autre" asks for a comment).
      const lease = "Bail bail_e2e_2 (logement 5700E2E996)";
      await order
        .getByRole("row", { name: /Bail bail_e2e_2/ })
        .getByRole("button", { name: "Retirer" })
        .click();
      const removal = page.locator("form", { has: page.getByRole("heading", { name: /^Retirer de l'ordre du jour/ }) });
      await removal.getByLabel("Motif du retrait").selectOption({ label: "Autre motif (précisé en commentaire)" });
      await removal.getByRole("button", { name: "Retirer le point" }).click();
      await removal.getByText("Précisez le motif « autre » en commentaire.").waitFor();
      await axe("retrait en erreur");
      await removal.getByLabel("Commentaire").fill("Bail résilié par le locataire avant la séance");
      await removal.getByRole("button", { name: "Retirer le point" }).click();
      await page.getByText(`${lease} retiré de l'ordre du jour`).waitFor();
      await waitFor(async () => !(await points()).includes(lease), 15_000);
      const withdrawn = page.getByRole("table", { name: "Points retirés de l'ordre du jour" });
      await withdrawn.getByRole("cell", { name: "Autre motif (précisé en commentaire)" }).waitFor();
      await withdrawn.getByRole("cell", { name: "Bail résilié par le locataire avant la séance" }).waitFor();
      await axe("ordre du jour organisé");
      await shot("25-cal-ordre-du-jour");

      for (const nom of ["Mme Président", "M. Admin 2", "Mme Admin 3", "M. Admin 4", "M. Locataires"])
        await page.locator("label", { hasText: nom }).click();
      await page.getByRole("button", { name: "Enregistrer les présences" }).click();
      await page.getByText("Quorum atteint").waitFor();

      // The commission's opinion on the lease's occupancy, from the legal list: an adapted unit to offer
      // needs its characteristics (L442-5-2).
      await caleol.getByRole("button", { name: "Rendre l'avis" }).click();
      const opinion = page.locator("form", {
        has: page.getByRole("heading", { name: /^Avis sur l'occupation du bail/ }),
      });
      await opinion.getByLabel("Avis de la commission").selectOption({
        label:
          "Situation constatée : un logement adapté, aux caractéristiques définies par la commission, est à proposer au locataire",
      });
      await opinion.getByRole("button", { name: "Enregistrer l'avis" }).click();
      await opinion.getByText(/^Décrivez le logement adapté à proposer/).waitFor();
      await axe("avis CALEOL en erreur");
      await opinion
        .getByLabel("Caractéristiques du logement adapté à proposer")
        .fill("T2 au plus, dans le quartier, ascenseur");
      await opinion.getByRole("button", { name: "Enregistrer l'avis" }).click();
      await caleol
        .getByRole("cell", {
          name: /^Situation constatée : un logement adapté.* — logement adapté : T2 au plus, dans le quartier, ascenseur$/,
        })
        .waitFor();
      expect(await caleol.getByRole("button", { name: "Rendre l'avis" }).count()).toBe(0);
      await axe("avis CALEOL");
      await shot("26-cal-avis-caleol");

      // The first candidate is attributed rank 1 under the suspensive condition of a missing piece.
      await candidates.getByRole("button", { name: "Décider" }).first().click();
      const form = page.locator("form", { has: page.getByRole("heading", { name: /Décision pour la demande/ }) });
      expect(await form.getByRole("combobox").count()).toBe(1 + 5); // the decision, and the five votes
      await axe("décision");
      await form.getByLabel("Décision").selectOption({ label: "Attribution sous condition suspensive" });
      const [dd, mm, yyyy] = day.split("/").map(Number);
      const deadline = new Date(Date.UTC(yyyy ?? 0, (mm ?? 1) - 1, (dd ?? 1) + 15));
      await form
        .getByLabel("À fournir avant le")
        .fill(deadline.toISOString().slice(0, 10).split("-").reverse().join("/"));
      await form.getByRole("button", { name: "Enregistrer la décision" }).click();
      await candidates
        .getByRole("cell", { name: /Attribution sous condition suspensive \(rang 1\) — 5 pour/ })
        .waitFor();
      await shot("14-cal-seance");

      // The CAL closes a session once every examined candidate has its decision: the other two, by its API.
      for (const n of [2, 3]) {
        const decided = await platform.as("bailleur57", "cal", "POST", `/v1/seances/${sessionId}/decisions`, {
          attributionId: att,
          demandId: `dem_e2e${n}`,
          decision: "ATTRIBUTION_RANG",
          rang: n,
          bulletins: ["m1", "m2", "m3", "m4", "m6"].map((membreId) => ({ membreId, vote: "pour" })),
        });
        expect(decided.status, JSON.stringify(decided.body)).toBe(201);
      }
      await page.reload();
      await candidates.getByRole("cell", { name: /Attribution par rang \(rang 3\)/ }).waitFor();
      await page.getByRole("button", { name: "Clore la séance" }).click();
      const offers = page.getByRole("table", { name: "Offres pour le logement 5700E2E999" });
      await offers.getByRole("cell", { name: "en attente de réponse" }).waitFor();
      expect(await offers.locator("tbody tr").first().textContent()).toMatch(
        /\d{2}\/\d{2}\/\d{4}.*\d{2}\/\d{2}\/\d{4}/,
      );
      // The piece of the suspensive condition arrives: the secretary records it, the condition is lifted.
      await offers.getByText(/avis d'imposition avant le \d{2}\/\d{2}\/\d{4}/).waitFor();
      await offers.getByRole("button", { name: "Pièce reçue" }).click();
      await offers.getByText("avis d'imposition : fournie (condition levée)").waitFor();
      await axe("séance close");

      await page.getByRole("link", { name: "Procès-verbal à imprimer" }).click();
      await page.getByRole("heading", { name: `Procès-verbal de la séance du ${day}` }).waitFor();
      expect(await page.getByRole("cell", { name: "Attribution par rang" }).count()).toBe(2);
      expect(await page.getByRole("cell", { name: "Attribution sous condition suspensive" }).count()).toBe(1);
      await page.getByText(/5 présent\(s\) à voix délibérative, \d+ requis : atteint/).waitFor();
      await axe("procès-verbal");
      await shot("15-cal-proces-verbal");

      // The first ranked accepts and signs, recorded by the secretary: the lease reaches reporting (below).
      await page.getByRole("link", { name: "Retour à la séance" }).click();
      await offers.getByRole("button", { name: "Offre acceptée" }).click();
      await offers.getByRole("cell", { name: "acceptée", exact: true }).waitFor();
      await offers.getByRole("button", { name: "Enregistrer le bail" }).click();
      await offers.getByText(/^Bail signé le \d{2}\/\d{2}\/\d{4}$/).waitFor();
      await axe("bail enregistré");
    }, 150_000);

    it("the secretary cancels a session with its reason: its agenda is planned again on the commission's next sessions", async () => {
      await page.goto(`${platform.base}/cal?commission=${encodeURIComponent(commissionId)}`);
      const days = page.getByRole("table", { name: "Jours de séance" });
      const schedule = days.getByRole("button", { name: /^Programmer la séance du / }).first();
      await schedule.waitFor();
      const day = ((await schedule.textContent()) ?? "").replace("Programmer la séance du ", "");
      await schedule.click();
      await days.getByRole("link", { name: `Ouvrir la séance du ${day}` }).click();
      await page.getByRole("heading", { name: `Séance du ${day}` }).waitFor();
      await page.getByLabel("Référence de l'attribution").fill(att2);
      await page.getByRole("button", { name: "Ajouter à l'ordre du jour" }).click();
      await page.getByRole("table", { name: "Candidats pour le logement 5700E2E998" }).waitFor();

      const cancel = page.locator("form", { has: page.getByRole("heading", { name: "Annuler la séance" }) });
      await cancel.getByRole("button", { name: "Annuler la séance" }).click();
      await cancel.getByText("Écrivez le motif de l'annulation.").waitFor();
      await axe("annulation en erreur");
      await cancel.getByLabel("Motif de l'annulation").fill("Président empêché, quorum impossible ce jour");
      await cancel.getByRole("button", { name: "Annuler la séance" }).click();
      const notice = page.getByRole("alert").or(page.locator(".fr-alert", { hasText: "Séance annulée" }));
      await notice.getByText("Séance annulée").first().waitFor();
      // Where the unit went: the link in its own line (the other units of the agenda go elsewhere, or nowhere).
      const moved = page
        .locator("span", { hasText: new RegExp(`^${att2} replanifié à la`) })
        .getByRole("link", { name: /^séance du \d{2}\/\d{2}\/\d{4}$/ });
      await moved.first().waitFor();
      await page.getByText("annulée", { exact: true }).waitFor();
      await axe("séance annulée");
      await shot("21-cal-annulation");
      // The session it went to has the unit on its agenda.
      await moved.first().click();
      await page.getByRole("table", { name: "Candidats pour le logement 5700E2E998" }).waitFor();

      // The commission's sessions, listed by the CAL: the one closed, the one cancelled, those planned.
      await page.goto(`${platform.base}/cal?commission=${encodeURIComponent(commissionId)}`);
      const sessions = page.getByRole("table", { name: "Séances de la commission" });
      await sessions.getByText("close", { exact: true }).waitFor();
      await sessions.getByText("annulée", { exact: true }).waitFor();
      expect(await sessions.getByText("programmée", { exact: true }).count()).toBeGreaterThan(0);
      await axe("séances de la commission");
    }, 90_000);
  });

  describe("reports: the territory's statistics, their charts and CSV", () => {
    beforeAll(() => shared.seeds.reports(), 120_000);

    it("the State's officer reads the demand and the attributions of the département, and downloads the CSV", async () => {
      await signIn("Hélène Garnier");
      await menu("Statistiques");
      await page.getByRole("heading", { name: "Statistiques", exact: true }).waitFor();
      const actives = page.locator(".logis-facts div", { hasText: "Demandes actives" }).locator("dd").first();
      await actives.waitFor();
      expect(Number(await actives.textContent())).toBeGreaterThanOrEqual(4);
      const chart = page.getByTestId("chart-demandes-typologie");
      await chart.locator("svg").waitFor();
      expect(await chart.getAttribute("aria-label")).toMatch(/Demandes par typologie souhaitée : T\d/);
      await page.getByRole("table", { name: "La demande par commune" }).locator("tbody tr").first().waitFor();
      // The other breakdowns of the demand: by EPCI, by typology.
      await page.getByLabel("Ventiler la demande").selectOption("parEpci");
      await page.getByRole("table", { name: "La demande par EPCI" }).locator("tbody tr").first().waitFor();
      expect(page.url()).toContain("vd=parEpci");
      await page.getByLabel("Ventiler la demande").selectOption("parTypologie");
      await page
        .getByRole("table", { name: "La demande par typologie souhaitée" })
        .getByRole("cell", { name: /^T\d$/ })
        .first()
        .waitFor();
      await page.getByText("Aucune attribution sur ce périmètre et cette période").waitFor();
      // The legal objectives of the year, per EPCI, as gauges whose sentence says the rate, the target and the state.
      await page.getByRole("heading", { name: `Objectifs légaux ${year}` }).waitFor();
      await page.getByText("Aucune attribution comptée cette année dans ce périmètre").waitFor();
      await axe("statistiques", true);
      await shot("16-statistiques");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Télécharger la demande (CSV pour tableur)" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        /^statistiques-demandes-69-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const csv = readFileSync(await download.path(), "utf8");
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv.split("\n")[1] ?? "").toContain(";");
      const [objectives] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Télécharger les objectifs (CSV pour tableur)" }).click(),
      ]);
      expect(objectives.suggestedFilename()).toBe(`objectifs-69-${year}.csv`);
      expect(readFileSync(await objectives.path(), "utf8").charCodeAt(0)).toBe(0xfeff);
    }, 90_000);

    it("in Moselle, the lease the CAL recorded counts: the attributions and the objectives' gauges of Metz Métropole", async () => {
      await waitFor(async () => {
        const res = await platform.as("prefecture57", "reporting", "GET", `/v1/objectifs?departement=57&annee=${year}`);
        return ((res.body.epcis as unknown[] | undefined)?.length ?? 0) > 0;
      });
      await signIn("Anne Schmitt");
      await menu("Statistiques");
      const gauge = page.getByRole("img", { name: /^Premier quartile hors QPV : .* objectif de 25\s?%/ }).first();
      await gauge.waitFor();
      expect(await gauge.getAttribute("data-etat")).toMatch(/^(atteint|en-retard|hors-d-atteinte|sans-objet)$/);
      await page.getByRole("heading", { name: /\(200039865\)/ }).waitFor();
      const leases = page.locator(".logis-facts div", { hasText: "Attributions (baux signés)" }).locator("dd");
      expect(await leases.textContent()).toBe("1");
      await page.getByTestId("chart-attributions-contingent").locator("svg").waitFor();
      await page.getByRole("table", { name: "Attributions par réservataire" }).locator("tbody tr").first().waitFor();
      // The same attributions by landlord, commune and typology.
      await page.getByLabel("Ventiler les attributions").selectOption("parBailleur");
      const byLandlord = page.getByRole("table", { name: "Attributions par bailleur" });
      expect(await byLandlord.locator("tbody tr").first().locator("td").nth(1).textContent()).toBe("1");
      await page.getByLabel("Ventiler les attributions").selectOption("parCommune");
      await page.getByRole("table", { name: "Attributions par commune" }).locator("tbody tr").first().waitFor();
      await axe("statistiques et objectifs", true);
      await shot("17-statistiques-objectifs");
    }, 90_000);
  });

  describe("no failure along the way", () => {
    it("met no failed request, no page error, nothing outside the console's origin", () => {
      expect(area.problems).toEqual([]);
    });
  });
}
