import { type Options, stringify } from 'csv-stringify/sync';

/** What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * CSV for people to open in a spreadsheet: a header, a byte-order mark (Excel then reads UTF-8), and text that would
 * start a formula (`=HYPERLINK(…)` in a question or an answer) prefixed with `'`, so it shows as text instead of
 * running. Numbers stay numbers.
 */
export function spreadsheetCsv(rows: unknown[][], columns: readonly string[]): string {
  const options: Options = {
    header: true,
    bom: true,
    columns: [...columns],
    cast: { string: (value) => (FORMULA_START.test(value) ? `'${value}` : value) },
  };
  return stringify(rows, options);
}
