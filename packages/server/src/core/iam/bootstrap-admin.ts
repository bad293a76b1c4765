import { systemClock, type Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { AccessKeyRecord, AccessKeyStore } from './access-key-store.js';
import { newLongTermAccessKeyId, newSecretAccessKey, newUserId } from './iam-ids.js';

/**
 * Creates the bootstrap administrator's long-term access key on first start and returns the
 * existing one afterwards (several replicas may race; the store's atomic
 * `putAccessKeyIfUserHasNone` makes them agree). The caller decides how to reveal the secret
 * to the operator; this function never logs it.
 */
export async function ensureBootstrapAdmin(
  store: AccessKeyStore,
  random: Random,
  config: ServiceConfig,
  userName = 'mooring-admin',
  clock: Clock = systemClock,
): Promise<AccessKeyRecord> {
  const candidate: AccessKeyRecord = {
    accessKeyId: newLongTermAccessKeyId(random),
    secretAccessKey: newSecretAccessKey(random),
    userName,
    // IAM user ARN format: arn:<partition>:iam::<account>:user/<name> (path '/').
    userArn: `arn:${config.partition}:iam::${config.accountId}:user/${userName}`,
    userId: newUserId(random),
    status: 'Active',
    createDate: clock.now(),
  };
  return store.putAccessKeyIfUserHasNone(candidate);
}
