import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { messageOf, RestError, statusOf } from "./api";

// Pages show messageOf(error): a French sentence that says what to do, whatever the failure.

describe("messageOf", () => {
  it("keeps a service's own French refusal", () => {
    const refusal = new TRPCClientError("Le réservataire désigne ses candidats jusqu'au 2026-12-30", {
      result: { error: { message: "x", code: -32600, data: { httpStatus: 422, appCode: "RULE_VIOLATION" } } },
    });
    expect(statusOf(refusal)).toBe(422);
    // …its days written dd/mm/yyyy, the ids holding a day left alone.
    expect(messageOf(refusal)).toBe("Le réservataire désigne ses candidats jusqu'au 30/12/2026");
    const withId = new TRPCClientError("att_5700F00001_2026-11-30 : délai passé le 2026-12-01", {
      result: { error: { message: "x", code: -32600, data: { httpStatus: 409 } } },
    });
    expect(messageOf(withId)).toBe("att_5700F00001_2026-11-30 : délai passé le 01/12/2026");
  });

  it("says the service does not answer, and what to do, for the console's 502 and an answer of no known shape", () => {
    expect(messageOf(new RestError("Service indisponible", 502, { httpStatus: 502 }))).toMatch(
      /^Le service ne répond pas : réessayez dans un instant/,
    );
    const unparsed = new TRPCClientError("Unable to transform response from server");
    expect(messageOf(unparsed)).toMatch(/^Le service ne répond pas/);
    const withResponse = TRPCClientError.from(new Error("Unexpected token"), {
      meta: { response: { status: 503 } as Response },
    });
    expect(statusOf(withResponse)).toBe(503);
    expect(messageOf(withResponse)).toMatch(/^Le service ne répond pas/);
  });

  it("never shows a developer's message for a 500", () => {
    const crash = new RestError("Internal Server Error", 500, { httpStatus: 500 });
    expect(messageOf(crash)).toMatch(/^Le service a rencontré une erreur inattendue : réessayez/);
  });

  it("says the network does not answer when fetch itself failed", () => {
    expect(messageOf(new TypeError("Failed to fetch"))).toMatch(/^Le réseau ne répond pas/);
    const wrapped = TRPCClientError.from(new TypeError("Failed to fetch"));
    expect(messageOf(wrapped)).toMatch(/^Le réseau ne répond pas/);
  });
});
