/** One forward-only schema step. `id`s are applied in ascending order, each exactly once. */
export interface SqliteMigration {
  id: number;
  name: string;
  statements: string[];
}
