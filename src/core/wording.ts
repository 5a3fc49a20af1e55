/** Small pieces of wording shared by the rows' messages. */

/** A count with its noun in the right number: "1 sample", "2 samples", "1 entry" (give the plural). */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
