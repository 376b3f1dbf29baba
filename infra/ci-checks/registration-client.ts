// A client of registration generated from its OpenAPI document (openapi-typescript + openapi-fetch),
// as a landlord's ERP would write one: openapi.int.test.ts generates ./.cache/registration-api.ts,
// compiles this file against it with tsc and runs it against the service.
import createClient from "openapi-fetch";
import type { paths } from "./.cache/registration-api.js";

export const registrationClient = (baseUrl: string, authorization: string) =>
  createClient<paths>({ baseUrl, headers: { authorization } });
type Client = ReturnType<typeof registrationClient>;

/** A demand's file, its search and its history, read through the typed client: fields of real answers. */
export async function readDemand(client: Client, numeroUnique: string) {
  const file = await client.GET("/v1/demandes/{numeroUnique}", { params: { path: { numeroUnique } } });
  if (!file.data) throw new Error(`lecture refusée : ${file.error?.error.message}`);
  const found = await client.GET("/v1/demandes", { params: { query: { nom: file.data.form?.demandeur.nom } } });
  const history = await client.GET("/v1/demandes/{numeroUnique}/historique", {
    params: { path: { numeroUnique } },
  });
  const statut: "active" | "cancelled" | "radiated" | "purged" = file.data.status;
  return {
    numeroUnique: file.data.numeroUnique,
    statut,
    validUntil: file.data.validUntil,
    civilite: file.data.form?.demandeur.civilite,
    typologies: file.data.form?.souhaits.typologies ?? [],
    trouves: found.data?.items.map((item) => item.numeroUnique) ?? [],
    lectures: history.data?.lectures.map((l) => l.what) ?? [],
  };
}

/** Starts a duplicate scan: a 202 whose body names the job, and its Location header. */
export async function startScan(client: Client, departement: string) {
  const { data, response } = await client.POST("/v1/doublons/analyses", { body: { departement } });
  return { id: data?.id, location: response.headers.get("location"), status: response.status };
}
