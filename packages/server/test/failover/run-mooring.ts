// `mooring` from source, for the failure drills: the same entry point as bin/mooring.js, but run
// through tsx so a drill exercises the code under test even before `npm run build`. One
// process (no npx wrapper), so SIGKILL hits the server itself.
import { main } from '../../src/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
