/** One row of `npm run bench`'s table. */
export interface BenchRow {
  area: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
  note?: string;
}
