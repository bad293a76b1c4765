/** Kept in step with packages/server/package.json. */
export const VERSION = '0.1.0';
