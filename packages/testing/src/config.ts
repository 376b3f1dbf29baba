import { z } from "zod";

/** Where integration tests find the engines that infra/local/infra.sh started. */
const TestEnv = z.object({
  KAFKA_BROKERS: z.string().default("127.0.0.1:9092"),
  MONGO_URL: z.string().default("mongodb://127.0.0.1:27017"),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
});

export const testEnv = () => {
  const e = TestEnv.parse(process.env);
  return { ...e, kafkaBrokers: e.KAFKA_BROKERS.split(",").map((s) => s.trim()) };
};
