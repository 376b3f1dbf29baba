import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { demoUsers } from "@logis/auth";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../../cal/src/domain/testing/commission.js";
import { family, metzT3 } from "../../cal/src/domain/testing/fixtures.js";
import { startPlatformForConsole, waitFor } from "./platform.js";

// The flux, CAL and reporting pages in headless Chromium, against flux, the CAL and reporting (and
// registration) started in-process on the real engines: a Moselle landlord's conventions, units
// freed and oriented by flux's own consumer, the year's ledger, chart and balance CSV, an override
// with its written reason; axe on every page. Screenshots go to services/console/.screenshots/.

const shots = fileURLToPath(new URL("../.screenshots/", import.meta.url));
mkdirSync(shots, { recursive: true });

let platform: Awaited<ReturnType<typeof startPlatformForConsole>>;
let browser: Browser;
let page: Page;
const problems: string[] = [];
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

async function seedFlux() {
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
  for (const [i, rplsId] of rpls.entries()) {
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
      libereLe: freedOn(i),
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
}

beforeAll(async () => {
  platform = await startPlatformForConsole({ services: ["flux", "cal", "reporting"] });
  await seedFlux();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true });
  const ctx = await browser.newContext({
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 1280, height: 900 },
  });
  const origin = new URL(platform.base).origin;
  await ctx.route("**/*", (route) => {
    if (new URL(route.request().url()).origin === origin) return route.continue();
    problems.push(`outside request: ${route.request().url()}`);
    return route.abort();
  });
  page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    // Expected refusals: an override whose reason is too short; the calendar looking up the sessions
    // of days not scheduled yet (the CAL lists no sessions).
    if (r.status() >= 400 && !(r.status() === 400 && r.url().includes("overrideOrientation")))
      if (!(r.status() === 404 && r.url().includes("/svc/cal/trpc/getSession")))
        problems.push(`${r.status()} ${r.url()}`);
  });
}, 240_000);

afterEach(async (test) => {
  if (test.task.result?.state === "fail") await shot(`echec-${test.task.name.slice(0, 30).replace(/\W+/g, "-")}`);
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
}, 60_000);

async function axe(name: string) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${name}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

const shot = (name: string) => page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
const nav = () => page.getByRole("navigation", { name: /menu principal/i });

/**
 * Follows a menu entry. Entries of flux, CAL and reporting show once the console's server saw the
 * service ready: on a loaded machine that probe can miss, so the page is reloaded (it asks again).
 */
async function menu(name: string) {
  const link = nav().getByRole("link", { name });
  await page.waitForLoadState("networkidle");
  for (let attempt = 0; attempt < 5 && !(await link.isVisible()); attempt++) {
    await page.reload();
    await page.getByRole("button", { name: "Se déconnecter" }).waitFor();
    await page.waitForLoadState("networkidle");
  }
  await link.click();
}

async function signIn(name: string) {
  await page.goto(`${platform.base}/`);
  if (await page.getByRole("button", { name: "Se déconnecter" }).isVisible())
    await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.getByRole("heading", { name: "Connexion" }).waitFor();
  await page.getByText(name, { exact: false }).first().click();
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: `Bonjour ${name}` }).waitFor();
}

describe("flux: the year's ledger, its course and the freed units' orientation", () => {
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
      await row.getByRole("cell", { name: `${d}/${m}/${y}` }).first().waitFor();
      expect(await row.textContent()).toMatch(/Orienté vers /);
    }
    await axe("flux bilan");
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
    const row = freed.getByRole("row", { name: new RegExp(rpls[0] ?? "") });
    await row.getByRole("button", { name: "Déroger" }).click();
    const form = page.locator("form", { has: page.getByRole("heading", { name: /Déroger à l'orientation/ }) });
    await form.getByRole("button", { name: "Enregistrer la dérogation" }).click();
    await form.getByText("Choisissez le réservataire destinataire.").waitFor();
    const select = form.getByLabel("Nouveau réservataire");
    const target = (await select.locator("option:not([disabled])").first().textContent()) ?? "";
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

  it("a reserver reads the same landlord's year: its own ledger line only", async () => {
    await signIn("Thomas Klein");
    await menu("Orientations et bilan");
    const ledger = page.getByRole("table", { name: `Registre ${year} par convention et réservataire` });
    await ledger.getByRole("cell", { name: actionLogement.nom }).waitFor();
    expect(await ledger.locator("tbody tr").count()).toBe(1);
    await axe("flux bilan réservataire");
  }, 90_000);
});

const commissionId = `com_e2e${Date.now().toString(36)}`;
const att = `att_5700E2E999_${today}`;

/** A Moselle CAL, and a unit whose three candidates are proposed (in-process: the CAL has no route for it yet). */
async function seedCal() {
  const { _id: _i, revision: _r, ...fields } = metzCommission;
  const res = await platform.as("bailleur57", "cal", "POST", "/v1/commissions", {
    ...fields,
    id: commissionId,
    bailleurId: "org_demo_bailleur_57",
  });
  if (res.status !== 201) throw new Error(`commission: ${JSON.stringify(res.body)}`);
  const cal = platform.cal;
  if (!cal) throw new Error("cal not started");
  await cal.uc.attributions.handle(
    { principal: demoUsers.bailleur57, correlationId: "cor_e2e", requestId: "req_e2e" },
    att,
    {
      type: "ProposeCandidates",
      id: att,
      bailleurId: "org_demo_bailleur_57",
      unit: metzT3({ rplsId: "5700E2E999" }),
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
    },
  );
}

describe("CAL: the calendar, a session's agenda, attendance and quorum, a decision, the offer, the minutes", () => {
  it("a CAL secretary schedules a session from the calendar, records attendance and a decision, closes it and prints the minutes", async () => {
    await seedCal();
    await signIn("Claire Muller");
    await menu("Commissions d'attribution");
    await page.getByRole("heading", { name: "Calendrier des séances" }).waitFor();
    await axe("calendrier vide");
    await page.getByLabel("Identifiant de la commission").fill(commissionId);
    await page.getByRole("button", { name: "Afficher le calendrier" }).click();
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
    const planned = await platform.as("bailleur57", "cal", "POST", `/v1/seances/${sessionId}/ordre-du-jour`, {
      attributionId: att,
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(200);
    await open.click();
    await page.getByRole("heading", { name: `Séance du ${day}` }).waitFor();
    const candidates = page.getByRole("table", { name: "Candidats pour le logement 5700E2E999" });
    await candidates
      .getByRole("cell", { name: /Classé 1e par la cotation de Metz Métropole \(rang 1 sur 120\)/ })
      .waitFor();
    expect(await candidates.getByText("éligible", { exact: true }).count()).toBe(3);
    await candidates.getByRole("button", { name: "Pourquoi ?" }).first().click();
    await candidates.getByText("Selon la CAL : Classé 1e par la cotation de Metz Métropole").waitFor();
    await page.getByText("Quorum non atteint").waitFor();

    for (const nom of ["Mme Président", "M. Admin 2", "Mme Admin 3", "M. Admin 4", "M. Locataires"])
      await page.locator("label", { hasText: nom }).click();
    await page.getByRole("button", { name: "Enregistrer les présences" }).click();
    await page.getByText("Quorum atteint").waitFor();

    await candidates.getByRole("button", { name: "Décider" }).first().click();
    const form = page.locator("form", { has: page.getByRole("heading", { name: /Décision pour la demande/ }) });
    expect(await form.getByRole("combobox").count()).toBe(1 + 5); // the decision, and the five votes
    await axe("décision");
    await form.getByRole("button", { name: "Enregistrer la décision" }).click();
    await candidates.getByRole("cell", { name: /Attribution par rang \(rang 1\) — 5 pour/ }).waitFor();
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
    expect(await offers.locator("tbody tr").first().textContent()).toMatch(/\d{2}\/\d{2}\/\d{4}.*\d{2}\/\d{2}\/\d{4}/);
    await axe("séance close");

    await page.getByRole("link", { name: "Procès-verbal à imprimer" }).click();
    await page.getByRole("heading", { name: `Procès-verbal de la séance du ${day}` }).waitFor();
    expect(await page.getByRole("cell", { name: "Attribution par rang" }).count()).toBe(3);
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
});

describe("reports: the territory's statistics, their charts and CSV", () => {
  it("the State's officer reads the demand and the attributions of the département, and downloads the CSV", async () => {
    await platform.registerDemands(4);
    // Reporting's consumer reads registration's events: wait until the four demands are counted.
    await waitFor(async () => {
      const res = await platform.as("prefecture", "reporting", "GET", "/v1/statistiques/demandes?departement=69");
      return ((res.body.ensemble as { actives?: number } | undefined)?.actives ?? 0) >= 4;
    });
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
    await page.getByText("Aucune attribution sur ce périmètre et cette période").waitFor();
    // The legal objectives of the year, per EPCI, as gauges whose sentence says the rate, the target and the state.
    await page.getByRole("heading", { name: `Objectifs légaux ${year}` }).waitFor();
    await page.getByText("Aucune attribution comptée cette année dans ce périmètre").waitFor();
    await axe("statistiques");
    await shot("16-statistiques");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Télécharger la demande (CSV pour tableur)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^statistiques-demandes-69-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
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
    await axe("statistiques et objectifs");
    await shot("17-statistiques-objectifs");
  }, 90_000);
});

describe("no failure along the way", () => {
  it("met no failed request, no page error, nothing outside the console's origin", () => {
    expect(problems).toEqual([]);
  });
});
