import { createLocalIssuer, type DemoUser, demoUsers, generateIssuerKeys, type Principal } from "@logis/auth";
import { type AnyEnvelope, topics } from "@logis/contracts";
import { manualClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { createLifecycle, serve, startPlatform } from "@logis/runtime";
import { apiClient, readTopic, testServiceEnv, uniqueName } from "@logis/testing";
import { composeFlux, topicsOf } from "../compose.js";
import { loadConfig, SERVICE } from "../config.js";

/**
 * The flux service in-process, composed as in production (compose.ts), on the real engines: a fresh
 * database, topics under a unique prefix, a clock tests move. The relay and the unit-events consumer
 * (orientation of freed units) run as in production.
 */
export async function fluxHarness(start = "2026-11-22T09:00:00.000Z", env: Record<string, string> = {}) {
  const dbName = uniqueName("flux");
  const topicPrefix = uniqueName("t");
  const clock = manualClock(start);
  const keys = await generateIssuerKeys();
  const config = loadConfig({
    ...testServiceEnv({ database: dbName, topicPrefix, publicJwk: keys.publicJwk }),
    ...env,
  });
  const logger = createLogger({ service: `${SERVICE}-test`, level: config.LOG_LEVEL });
  const steps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
  const platform = await startPlatform(steps.lifecycle, { service: SERVICE, config, logger, ...topicsOf });
  const flux = await composeFlux(platform, config, { clock });
  const serving = await serve(platform, flux.parts, { port: 0 });

  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const issue = (who: DemoUser | Principal) => issuer.issue(typeof who === "string" ? demoUsers[who] : who);
  const { call, authHeader } = apiClient<DemoUser | Principal>(serving.base, issue);

  /** Every event on one of the service's topics, parsed. */
  async function eventsOn(topic: (typeof topicsOf.produces)[number]): Promise<AnyEnvelope[]> {
    const messages = await readTopic(platform.kafka, platform.topic(topic));
    return messages.map((m) => JSON.parse(String(m.value)) as AnyEnvelope);
  }

  /** Sends a body as it is (an upload), with a content type. */
  async function upload(who: DemoUser | Principal, path: string, body: string | Buffer, contentType = "text/csv") {
    const res = await fetch(`${serving.base}${path}`, {
      method: "POST",
      headers: { authorization: await authHeader(who), "content-type": contentType },
      body,
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {}
    return {
      status: res.status,
      body: json as never as Record<string, unknown>,
      text,
      headers: Object.fromEntries(res.headers) as Record<string, string>,
    };
  }

  async function raw(who: DemoUser | Principal, path: string) {
    const res = await fetch(`${serving.base}${path}`, { headers: { authorization: await authHeader(who) } });
    return {
      status: res.status,
      bytes: Buffer.from(await res.arrayBuffer()),
      headers: Object.fromEntries(res.headers) as Record<string, string>,
    };
  }

  return {
    ...flux,
    platform,
    db: platform.db,
    clock,
    topicPrefix,
    base: serving.base,
    call,
    upload,
    raw,
    eventsOn,
    topics,
    async close() {
      await platform.mongo.dropDatabase().catch(() => undefined);
      await steps.shutdown();
    },
  };
}
export type FluxHarness = Awaited<ReturnType<typeof fluxHarness>>;
