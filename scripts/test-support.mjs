// Shared by every test file: decide whether an optional external dependency is present.
// On a user's machine a missing dependency skips the test with a one-line reason; in CI
// (MOORING_REQUIRE_ALL_TESTS=1) it fails instead, so a skip can never pass for a pass.
import { spawnSync } from 'node:child_process';

export const requireAll = process.env.MOORING_REQUIRE_ALL_TESTS === '1';

/**
 * Returns undefined when `available` is true. Otherwise returns a skip reason for
 * `test(name, { skip })`, or throws when every test is required.
 */
export function requireOrSkip(available, reason) {
  if (available) return undefined;
  if (requireAll) throw new Error(`required test dependency missing: ${reason}`);
  return reason;
}

/** True when `cmd args...` runs and exits 0. */
export function commandWorks(cmd, args = ['--version']) {
  try {
    const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 20000 });
    return r.status === 0;
  } catch {
    return false;
  }
}
