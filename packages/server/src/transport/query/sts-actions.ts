import type { Principal } from '../../core/auth/principal.js';
import { textEl } from './xml.js';

/** STS Query actions (botocore STS model). Results are the inner XML of `<XResult>`. */
export type StsActionHandler = (params: ReadonlyMap<string, string>, principal: Principal) => Promise<string | undefined>;

export const STS_ACTIONS: Readonly<Record<string, StsActionHandler>> = {
  /**
   * "No permissions are required to perform this operation" (STS API reference,
   * GetCallerIdentity): any authenticated principal gets its own ARN, aws:userid and account.
   */
  async GetCallerIdentity(_params, principal) {
    return textEl('UserId', principal.userId) + textEl('Account', principal.accountId) + textEl('Arn', principal.arn);
  },
};
