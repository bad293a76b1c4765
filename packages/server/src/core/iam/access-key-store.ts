/** A long-term IAM user access key (the bootstrap admin's, for now). */
export interface AccessKeyRecord {
  accessKeyId: string; // 'AKIA…'
  secretAccessKey: string;
  userName: string;
  userArn: string;
  userId: string; // 'AIDA…'
  status: 'Active' | 'Inactive';
  createDate: Date;
}

export interface AccessKeyStore {
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  putAccessKey(key: AccessKeyRecord): Promise<void>;
  /**
   * Atomically stores `key` unless `key.userName` already has an access key, and returns the
   * user's oldest key either way. Lets several replicas bootstrap the admin concurrently and
   * agree on one key.
   */
  putAccessKeyIfUserHasNone(key: AccessKeyRecord): Promise<AccessKeyRecord>;
}
