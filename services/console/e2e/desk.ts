import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Area, type ConsolePlatform, openArea, waitFor } from "./browser.js";
import type { Shared } from "./console.int.test.js";

// The desk and the EPCI in headless Chromium: sign-in per role, registration with its error summary
// and the duplicate warning, the search, the attestation, export and import, a grid's simulation
// charts and its publication, the applicant's cotation, a landlord's stock; axe on every page.

/** The desk's territory in small: synthetic demands in Lyon, the reference grid published, a draft to try. */
export const seedDesk = (platform: ConsolePlatform) => platform.seed(24);

const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
const nom = `Essai${suffix}`;

export function deskArea(shared: Shared) {
  let platform: ConsolePlatform;
  let area: Area;
  let page: Page;
  let draftId: string;
  let numero = "";
  const axe = (name: string, whole = false) => area.axe(name, whole);
  const shot = (name: string) => area.shot(name);
  const signIn = (name: string) => area.signIn(name);
  const nav = () => area.nav();

  beforeAll(async () => {
    platform = shared.platform;
    ({ draftId } = await shared.seeds.desk());
    // 409 is the duplicate warning the test asks for; everything else must succeed.
    area = await openArea(shared.browser, platform.base, (status, url) => status === 409 && url.includes("/register"));
    page = area.page;
  }, 120_000);

  afterEach(async (test) => {
    if (test.task.result?.state === "fail") await shot(`echec-${test.task.name.slice(0, 30).replace(/\W+/g, "-")}`);
  });

  afterAll(() => area?.close());

  describe("the console in a browser", () => {
    it("signs a desk agent in: DSFR applied, French, the desk's menu only", async () => {
      await page.goto(`${platform.base}/`);
      await page.getByRole("heading", { name: "Connexion" }).waitFor();
      await axe("connexion", true);
      await shot("01-connexion");
      await signIn("Camille Martin");
      await page.evaluate(() => document.fonts.ready);
      expect(await page.evaluate(() => document.fonts.check('16px "Marianne"'))).toBe(true);
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/^Marianne/);
      expect(await page.locator("html").getAttribute("data-fr-js")).not.toBeNull();
      expect(await page.locator("html").getAttribute("lang")).toBe("fr");
      const menu = await nav().textContent();
      expect(menu).toContain("Demandes");
      expect(menu).toContain("Nouvelle demande");
      expect(menu).not.toContain("Grilles de cotation");
      expect(menu).not.toContain("Gestion en flux"); // not a desk's page
      await axe("accueil guichet", true);
    }, 120_000);

    it("registers a demand: per-field messages and an error summary, then the demand and its search", async () => {
      await nav().getByRole("link", { name: "Nouvelle demande" }).click();
      await page.getByRole("heading", { name: "Enregistrer une demande" }).waitFor();
      await page.getByRole("button", { name: "Enregistrer la demande" }).click();
      const summary = page.getByText(/champs? à corriger/);
      await summary.waitFor();
      expect(await page.locator(".fr-message--error").count()).toBeGreaterThan(3);
      await expect
        .poll(() => page.getByRole("link", { name: /Nom d'usage : champ obligatoire/ }).count())
        .toBeGreaterThan(0);
      await axe("formulaire en erreur");
      await shot("02-formulaire-erreurs");

      await fillDemand(page, nom, "Léa");
      await page.getByRole("button", { name: "Enregistrer la demande" }).click();
      await page.getByText("Demande enregistrée").waitFor();
      numero = page.url().match(/demandes\/([0-9A-Z]{18})/)?.[1] ?? "";
      expect(numero).toHaveLength(18);
      await page.getByRole("cell", { name: "Enregistrement" }).first().waitFor();
      await axe("dossier");
      await shot("03-dossier");

      await page.getByRole("link", { name: "Modifier" }).click();
      await page.getByRole("heading", { name: `Modifier la demande ${numero}` }).waitFor();
      expect(await page.locator("#f-demandeur-nom").inputValue()).toBe(nom);
      expect(await page.locator("#f-demandeur-dateNaissance").inputValue()).toBe("14/06/1991");
      await page.locator("#f-logementActuel-nombreOccupants").fill("2");
      await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
      await page.getByRole("link", { name: /Origine de la modification : indiquez/ }).waitFor();
      await axe("modification en erreur");
      await page.locator("#f-motif").fill("Déclaration du demandeur : naissance d'un enfant");
      await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
      await page.getByText("Demande modifiée").waitFor();
      await page.getByRole("cell", { name: "Modification" }).first().waitFor();

      await page.getByRole("link", { name: "Attestation d'enregistrement" }).click();
      await page.locator(".logis-attestation").getByText(numero).filter({ visible: true }).first().waitFor();
      // The PDF, downloaded with the agent's own session (a plain link could not carry the token).
      const [pdf] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Télécharger le PDF" }).click(),
      ]);
      expect(pdf.suggestedFilename()).toBe(`attestation-${numero}.pdf`);
      const bytes = readFileSync(await pdf.path(), "latin1");
      expect(bytes.startsWith("%PDF-1.4")).toBe(true);
      expect(bytes).toContain(`(${numero}) Tj`);
      await axe("attestation");
      await shot("08-attestation");

      await nav().getByRole("link", { name: "Demandes" }).click();
      await page.getByLabel("Nom du demandeur").fill(nom);
      await page.getByRole("button", { name: "Rechercher" }).click();
      // The previous page stays on screen while the search runs: wait for this search's count.
      await page.getByText(/^1 demande — page 1 sur 1$/).waitFor();
      await page.getByRole("link", { name: numero }).waitFor();
      await axe("recherche");
      await shot("04-recherche");
    }, 120_000);

    it("warns of a possible duplicate, and registers once the desk says the households are distinct", async () => {
      await nav().getByRole("link", { name: "Nouvelle demande" }).click();
      await fillDemand(page, nom, "Léa");
      await page.getByRole("button", { name: "Enregistrer la demande" }).click();
      await page.getByText("Doublon possible").waitFor();
      await page.getByRole("cell", { name: numero }).waitFor();
      await axe("doublon");
      await shot("05-doublon");
      await page.getByRole("button", { name: "Ménage distinct : enregistrer la demande" }).click();
      await page.getByText("Demande enregistrée").waitFor();
      expect(page.url()).not.toContain(numero);
    }, 120_000);

    it("exports the département's demands as a job (progress bar, then the file) and imports the file back, with its report", async () => {
      await nav().getByRole("link", { name: "Imports et exports" }).click();
      await page.getByRole("heading", { name: "Imports et exports" }).waitFor();
      await axe("échanges");
      await page.getByRole("button", { name: "Lancer l'export" }).click();
      // The job's progress bar, filled once every demand of the département is written.
      const bar = page.getByRole("progressbar", { name: /Avancement de l'export/ });
      await bar.waitFor();
      await page.getByText("Avancement de l'export (terminé)").waitFor({ timeout: 30_000 });
      expect(await bar.getAttribute("value")).toBe("100");
      const sentence = await page.getByText(/^100 % : \d+ demandes sur \d+$/).textContent();
      const [written] = /\d+/.exec(sentence?.replace(/^100 % : /, "") ?? "") ?? [];
      expect(Number(written)).toBeGreaterThan(20);
      await axe("export terminé");
      await shot("23-export");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: /^Télécharger demandes-69\.csv/ }).click(),
      ]);
      expect(download.suggestedFilename()).toBe("demandes-69.csv");
      const path = await download.path();
      const csv = readFileSync(path, "utf8");
      expect(csv).toContain(numero);
      // One line per demand written, after the header.
      expect(csv.split("\r\n").filter(Boolean)).toHaveLength(Number(written) + 1);
      await page.getByText(/Fichier téléchargé/).waitFor();

      // The same file imported back: every record is read and accounted for (created, already there, or in the report).
      await page.locator('input[type="file"]').setInputFiles(path);
      await page.getByRole("button", { name: "Importer" }).click();
      await page.locator(".logis-facts div", { hasText: "État" }).getByText("terminé").waitFor({ timeout: 30_000 });
      // The import's bar too: the whole file read.
      expect(await page.getByRole("progressbar", { name: /Avancement de l'import/ }).getAttribute("value")).toBe("100");
      const figure = async (label: string) =>
        Number(await page.locator(".logis-facts div", { hasText: label }).locator("dd").textContent());
      const read = await figure("Enregistrements lus");
      expect(read).toBeGreaterThan(20);
      const reported = await page.locator("table", { hasText: "Numéro unique" }).locator("tbody tr").count();
      expect((await figure("Demandes créées")) + (await figure("Déjà présentes")) + reported).toBe(read);
      await axe("import");
      await shot("10-import");
    }, 120_000);

    it("an EPCI officer edits a draft grid (with a field error first), simulates it, sees the charts and publishes it", async () => {
      await signIn("Julien Roux");
      const menu = await nav().textContent();
      expect(menu).toContain("Grilles de cotation");
      expect(menu).not.toContain("Nouvelle demande");
      await nav().getByRole("link", { name: "Grilles de cotation" }).click();
      await page.getByRole("link", { name: "Grille 2027 (projet)" }).click();
      await page.getByRole("heading", { name: /Grille 2027 \(projet\) — version 2/ }).waitFor();
      expect(page.url()).toContain(encodeURIComponent(draftId));
      await page.getByRole("button", { name: "Modifier les points et les plafonds" }).click();
      const dalo = page.locator("#g-rubriques-0-criteres-0-points-points");
      await dalo.fill("beaucoup");
      await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
      await page.getByRole("link", { name: /: nombre attendu/ }).waitFor();
      await axe("grille en erreur");
      await dalo.fill("450");
      await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
      await page.getByRole("cell", { name: "450 points" }).first().waitFor();
      await page.getByRole("button", { name: "Simuler sur le stock" }).click();
      const chart = page.getByTestId("chart-distribution").locator("svg");
      await chart.waitFor();
      await page.getByTestId("chart-rank-shift").locator("svg").waitFor();
      expect(await page.getByTestId("chart-distribution").getAttribute("aria-label")).toMatch(/Distribution des notes/);
      expect(await page.getByTestId("chart-distribution").locator("text").count()).toBeGreaterThan(3);
      await page.getByText(/Simulation sur \d+ demandes/).waitFor();
      await axe("simulation");
      await shot("06-simulation");
      await page.getByRole("button", { name: "Publier" }).click();
      // Publishing scores the whole stock again: slow on a loaded machine.
      await page.getByText("Grille publiée").waitFor({ timeout: 45_000 });
      await page.getByRole("button", { name: "Créer un brouillon à partir de cette version" }).waitFor();
    }, 120_000);

    it("shows a demand's cotation, criterion by criterion, with its position", async () => {
      // The 24 seeded demands and the two registered here have reached cotation's projection.
      await waitFor(() => platform.cotation.stock.applied >= 26);
      await platform.cotation.scoring.refresh();
      await page.goto(`${platform.base}/cotation/${numero}`);
      await page
        .getByRole("heading", { name: /points$/ })
        .first()
        .waitFor();
      await page.getByText("Rang dans l'EPCI").waitFor();
      // Registered as recognised DALO: the grid's DALO criterion counts, and says so.
      await page.getByRole("cell", { name: /DALO/ }).first().waitFor();
      await axe("cotation");
      await shot("07-cotation");
    }, 120_000);

    it("a landlord reads its housing stock in the flux page", async () => {
      await signIn("Claire Muller");
      const menu = await nav().textContent();
      expect(menu).toContain("Gestion en flux");
      expect(menu).not.toContain("Demandes");
      await nav().getByRole("link", { name: "Gestion en flux" }).click();
      await page.getByRole("cell", { name: "5700E2E001" }).waitFor();
      await page.getByRole("cell", { name: "412,3\u00a0€" }).waitFor();
      await axe("flux");
      await shot("09-flux");
    }, 120_000);

    it("met no failed request, no page error, nothing outside the console's origin", () => {
      expect(area.problems).toEqual([]);
    });
  });
}

async function fillDemand(p: Page, nomDemandeur: string, prenom: string) {
  await p.locator("#f-demandeur-nom").fill(nomDemandeur);
  await p.locator("#f-demandeur-prenom").fill(prenom);
  await p.locator("#f-demandeur-dateNaissance").fill("14/06/1991");
  await p.locator("#f-demandeur-situationFamiliale").selectOption("C");
  await p.locator("#f-demandeur-situationProfessionnelle-typeContrat").selectOption("CDI");
  await p.locator("#f-demandeur-ressources-montant").fill("1 650,00");
  await p.locator("#f-contact-adresse-voie").fill("rue Paul Bert");
  await p.locator("#f-contact-adresse-codePostal").fill("69003");
  await p.locator("#f-contact-adresse-commune").fill("69383");
  await p.locator("#f-logementActuel-modele").selectOption("LP");
  await p.locator("#f-logementActuel-nombreOccupants").fill("1");
  await p.locator("#f-situations-dalo-statut").selectOption("ACTIF");
  // DSFR draws the box on the label, which takes the click (as a person's would).
  await p.locator("label.fr-label", { hasText: /^Démolition$/ }).click();
  await p.locator("label.fr-label", { hasText: /^T2$/ }).click();
  await p.locator("#f-souhaits-communes").fill("69383, 69388");
  await p.locator("label.fr-label", { hasText: /^Pièce d'identité du demandeur$/ }).click();
}
