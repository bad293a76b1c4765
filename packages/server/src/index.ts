export { composeServer } from './app/compose.js';
export type { ComposedServer } from './app/compose.js';
export { toServerOptions, DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './app/server-options.js';
export type { ServerOptions, RawServerOptions } from './app/server-options.js';
export { buildServer } from './transport/build-server.js';
export type { ServerDeps, BuildOptions } from './transport/build-server.js';
export { runDemo, WALKTHROUGH_TRUST_POLICY } from './demo/run-demo.js';
export { signedCall, queryBody } from './demo/signed-call.js';
export { VERSION } from './version.js';
