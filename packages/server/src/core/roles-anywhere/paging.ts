import { checkConstraints } from '../errors/constraints.js';
import { validationError } from '../errors/service-error.js';
import type { RolesAnywhereLimits } from './limits.js';
import type { Page, PageRequest } from './page.js';

/**
 * List paging (service-spec §2): pageSize defaults to 50 and is capped (silently clamped, as
 * clients send 500+); nextToken is 1..10000 characters and opaque.
 */
export async function resolvePage<T>(
  limits: RolesAnywhereLimits,
  nextToken: unknown,
  pageSize: unknown,
  load: (p: PageRequest) => Promise<Page<T> | 'bad-token'>,
): Promise<Page<T>> {
  const invalid = checkConstraints({ nextToken, pageSize }, [
    { member: 'nextToken', min: 1, max: 10000 },
    { member: 'pageSize', type: 'integer', min: 1 },
  ]);
  if (invalid) throw invalid;
  const size = Math.min((pageSize as number | undefined) ?? limits.defaultPageSize, limits.maxPageSize);
  const req: PageRequest = { pageSize: size };
  if (typeof nextToken === 'string') req.nextToken = nextToken;
  const page = await load(req);
  if (page === 'bad-token') throw validationError('Invalid nextToken');
  return page;
}
