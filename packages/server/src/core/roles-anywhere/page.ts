/** One page of a listing; `nextToken` is opaque to callers and absent on the last page. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageRequest {
  nextToken?: string;
  pageSize: number;
}
