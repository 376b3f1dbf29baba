import { describe, expect, it } from "vitest";
import { z } from "zod";
import { httpEnv, kafkaEnv, mongoEnv } from "./fragments.js";
import { ConfigError, parseEnv } from "./parse-env.js";

const schema = z.object({ ...httpEnv.shape, ...kafkaEnv.shape, ...mongoEnv.shape });

describe("parseEnv", () => {
  it("coerces and transforms valid variables", () => {
    const c = parseEnv(schema, {
      PORT: "3001",
      KAFKA_BROKERS: "127.0.0.1:9092, 127.0.0.1:9093",
      MONGO_URL: "mongodb://127.0.0.1:27017",
      MONGO_DB: "logis",
    });
    expect(c.PORT).toBe(3001);
    expect(c.KAFKA_BROKERS).toEqual(["127.0.0.1:9092", "127.0.0.1:9093"]);
    expect(c.KAFKA_TOPIC_PREFIX).toBe("");
    expect(c.HOST).toBe("127.0.0.1");
  });

  it("lists every bad or missing variable at once", () => {
    const attempt = () => parseEnv(schema, { PORT: "abc", KAFKA_BROKERS: "localhost", MONGO_DB: "" });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (e) {
      const error = e as ConfigError;
      expect([...error.variables].sort()).toEqual(["KAFKA_BROKERS", "MONGO_DB", "MONGO_URL", "PORT"]);
      expect(error.message).toContain("MONGO_URL: is required");
      expect(error.message).toContain("KAFKA_BROKERS: expected host:port");
    }
  });
});
