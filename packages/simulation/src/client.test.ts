import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { generateIssuerKeys } from "@logis/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phaseCalls, serviceClient, type Urls } from "./client.js";
import { guichet57 } from "./principals.js";

// A bare HTTP server stands for the services: what is tested is the client's counting.
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => setTimeout(() => res.end("{}"), Math.random() * 5));
});
let urls: Urls;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  urls = { registration: base, cotation: base, flux: base, cal: base, reporting: base };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the calls of phases run side by side", () => {
  it("are counted per phase, even on the same service at the same time", async () => {
    const client = serviceClient(urls, await generateIssuerKeys());
    const a = { calls: 0 };
    const b = { calls: 0 };
    const calls = (n: number) =>
      Promise.all(Array.from({ length: n }, () => client.call(guichet57, "registration", "GET", "/v1/x")));
    await Promise.all([phaseCalls.run(a, () => calls(3)), phaseCalls.run(b, () => calls(5))]);
    await calls(2); // outside any phase
    expect(a.calls).toBe(3);
    expect(b.calls).toBe(5);
    expect(client.meter.calls).toBe(10);
  });
});
