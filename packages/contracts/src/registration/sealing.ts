import { z } from "zod";
import { DemandFacts } from "./demand.js";

// Crypto-shredding of the demand topic (decision 0012): the household's facts travel sealed with a
// key of their own demand, published on a compacted topic and destroyed there at purge. Sealing
// and opening live here, once, for registration and every consumer.

/** Bytes a padded base64 text decodes to (no Buffer: the browser bundle loads this module). */
const decodedLength = (s: string) => (s.length / 4) * 3 - (s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0);
const base64 = (bytes?: number) =>
  z
    .string()
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "base64 attendu")
    .refine((s) => bytes === undefined || decodedLength(s) === bytes, `${bytes} octets attendus`);

/** AES-256-GCM of the JSON `DemandFacts`; `kid` = the demand's id, whose key opens it. */
export const SealedFacts = z.object({
  alg: z.literal("A256GCM"),
  kid: z.string().min(1),
  iv: base64(12),
  tag: base64(16),
  /** Base64, not checked by a pattern (a kilobyte per event): an altered text fails the GCM tag. */
  data: z.string().min(1),
});
export type SealedFacts = z.infer<typeof SealedFacts>;

/** A record of the key topic (key = the demand's id); a tombstone (null value) at purge. */
export const DemandDataKey = z.object({
  kid: z.string().min(1),
  /** 256 random bits, base64. */
  key: base64(32),
  createdAt: z.iso.datetime({ offset: true }),
});
export type DemandDataKey = z.infer<typeof DemandDataKey>;

/** What binds a sealed blob to its event: moved to another demand or another event type, it does not open. */
export interface SealContext {
  aggregateId: string;
  type: string;
}

// Node's crypto without a static import: the console's browser bundle imports this package for its
// schemas and never calls these functions.
function nodeCrypto() {
  const crypto = globalThis.process?.getBuiltinModule?.("node:crypto");
  if (!crypto) throw new Error("le scellement des données de la demande demande le module crypto de Node");
  return crypto;
}

const aadOf = (context: SealContext) => Buffer.from(`${context.aggregateId}|${context.type}`, "utf8");

/** A new demand's data key: 256 random bits, base64. */
export function newDataKey(): string {
  return nodeCrypto().randomBytes(32).toString("base64");
}

export function sealFacts(key: string, context: SealContext, facts: DemandFacts): SealedFacts {
  const crypto = nodeCrypto();
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", Buffer.from(key, "base64"), iv);
  cipher.setAAD(aadOf(context));
  const data = Buffer.concat([cipher.update(JSON.stringify(facts), "utf8"), cipher.final()]);
  return {
    alg: "A256GCM",
    kid: context.aggregateId,
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
}

/** Opens a sealed blob; throws when the key is not its key or the blob was altered or moved. */
export function openFacts(key: string, context: SealContext, sealed: SealedFacts): DemandFacts {
  const decipher = nodeCrypto().createDecipheriv(
    "aes-256-gcm",
    Buffer.from(key, "base64"),
    Buffer.from(sealed.iv, "base64"),
  );
  decipher.setAAD(aadOf(context));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  const json = Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
  return DemandFacts.parse(JSON.parse(json));
}
