/**
 * The helper's version, printed by `mooring-helper version` and sent in the User-Agent.
 * Kept as a constant (not read from package.json at run time) so the CLI's start-up path
 * stays one small import graph; a test checks it matches package.json.
 * @public
 */
export const VERSION = '0.1.0';
