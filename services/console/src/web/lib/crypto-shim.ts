// Browser stand-in for the one node:crypto function @logis/domain imports (ids), never called here.
export function randomBytes(size: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(size));
}
