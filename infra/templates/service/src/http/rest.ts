import { Principal } from "@logis/auth";
import { defineRoute, openApiDocument, type RestRoute } from "@logis/http";
import { z } from "zod";

export const restRoutes: RestRoute[] = [
  defineRoute({
    method: "get",
    path: "/v1/whoami",
    summary: "Qui appelle : l'utilisateur, son organisation, ses rôles et territoires",
    permission: "public",
    response: z.object({ principal: Principal.nullable() }),
    handler: async ({ ctx }) => ({ principal: ctx.principal ?? null }),
  }),
];

export const openApi = openApiDocument({ title: "Logis service template", version: "0.1.0" }, restRoutes);
