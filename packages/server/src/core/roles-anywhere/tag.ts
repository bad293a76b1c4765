/** A resource tag (service-spec §1: key 1..128, value 0..256). */
export interface ResourceTag {
  key: string;
  value: string;
}
