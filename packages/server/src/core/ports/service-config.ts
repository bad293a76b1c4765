/** Deployment identity shared by every service: what ARNs and tokens are minted for. */
export interface ServiceConfig {
  partition: string; // 'aws'
  region: string; // e.g. 'us-east-1'
  accountId: string; // 12 digits
}
