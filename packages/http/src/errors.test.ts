import { describe, expect, it } from "vitest";
import { errorResponse, toAppError } from "./errors.js";

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error("détail technique"), { name, ...extra });

describe("an engine that is down gives 503, not 500 (issue 10: the fault script saw 500s while Redis restarted)", () => {
  it.each([
    ["Redis without answer", named("MaxRetriesPerRequestError")],
    ["MongoDB unreachable", named("MongoServerSelectionError")],
    ["a refused connection", named("Error", { code: "ECONNREFUSED" })],
    ["a cause that is one", named("Error", { cause: named("MongoNetworkError") })],
    [
      "a bulk write cut by the database going away",
      Object.assign(new Error("connection 36 to 127.0.0.1:27027 closed"), { name: "MongoBulkWriteError" }),
    ],
    [
      // Seen by the fault script (session 7): FerretDB SIGKILLed while a grouped insert was answered.
      "a bulk write whose answer was cut (read ECONNRESET)",
      Object.assign(new Error("read ECONNRESET"), { name: "MongoBulkWriteError", writeErrors: [] }),
    ],
    [
      "a bulk write carrying the network error in errorResponse",
      Object.assign(new Error("écriture interrompue"), {
        name: "MongoBulkWriteError",
        errorResponse: named("MongoNetworkError"),
      }),
    ],
  ])("%s → 503 UNAVAILABLE, retriable, with a French message", (_what, error) => {
    const appError = toAppError(error);
    expect(appError).toMatchObject({ code: "UNAVAILABLE", reason: "ENGINE_UNAVAILABLE", retriable: true });
    const { status, body } = errorResponse(appError, "req_1");
    expect(status).toBe(503);
    expect(body.error.message).toBe("Service momentanément indisponible : réessayez dans un instant");
  });

  it("any other fault stays an internal error, whose text is not shown", () => {
    const { status, body } = errorResponse(toAppError(new TypeError("x is undefined")), "req_1");
    expect(status).toBe(500);
    expect(body.error.message).toBe("Erreur interne");
  });
});
