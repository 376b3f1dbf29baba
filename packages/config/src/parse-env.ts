import type { z } from "zod";

/** Thrown when the environment does not satisfy a service's schema; lists every bad variable. */
export class ConfigError extends Error {
  readonly variables: readonly string[];

  constructor(issues: readonly { variable: string; message: string }[]) {
    super(
      `Invalid configuration (${issues.length} variable${issues.length > 1 ? "s" : ""}):\n` +
        issues.map((i) => `  - ${i.variable}: ${i.message}`).join("\n"),
    );
    this.name = "ConfigError";
    this.variables = issues.map((i) => i.variable);
  }
}

/**
 * Parses the environment once, at start-up. Every problem is reported at once, each naming its
 * variable, so an operator fixes a deployment in one round.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  // Empty strings count as unset, as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const seen = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const variable = String(issue.path[0] ?? "(environment)");
    const message = issue.code === "invalid_type" && cleaned[variable] === undefined ? "is required" : issue.message;
    if (!seen.has(variable)) seen.set(variable, message);
  }
  throw new ConfigError([...seen].map(([variable, message]) => ({ variable, message })));
}
