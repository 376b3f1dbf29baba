export { defaultUrls, type Service, serviceClient, type Urls } from "./client.js";
export { type Menage, menage, PRIORITES, plafondPlus } from "./households.js";
export { demandsCsv, numeroUniqueOf, unitsCsv } from "./interchange.js";
export { convient, designate, monthsOf, planYear, refuse } from "./plan.js";
export { loadPlafonds, loadReferentiel, type Referentiel } from "./reference.js";
export { reportHtml, reportText, type YearReport } from "./report.js";
export { type SimulationOptions, type SimulationResult, simulateYear } from "./simulate.js";
export { generateTerritory, TAILLES, type Taille, type Territoire } from "./territory.js";
