export { cachedVerifier } from "./cached-verifier.js";
export { type DemoUser, demoUsers } from "./demo-users.js";
export { assertCan, assertInDepartement, assertInEpci, can, type Permission, permissions } from "./permissions.js";
export { OrganisationKind, Principal, Role } from "./principal.js";
export {
  createLocalIssuer,
  createVerifier,
  generateIssuerKeys,
  type IssuerOptions,
  type KeyPairJwk,
  type Verifier,
  type VerifierOptions,
} from "./tokens.js";
