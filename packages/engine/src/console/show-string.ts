import type { Row, Schema } from '../core/types.js';
import { displayWidth } from './display-width.js';
import { renderCell } from './render-cell.js';

export interface ShowOptions {
  /** Rows to print at most (Spark's `numRows`, default 20). */
  readonly numRows: number;
  /** Longest cell kept whole; 0 turns truncation off and aligns cells left. */
  readonly truncate: number;
  /** Session time zone used to print timestamps. */
  readonly timeZone: string;
}

/**
 * Spark's `Dataset.showString(numRows, truncate)` in horizontal mode, byte for byte:
 * a `+---+` framed table, right-aligned cells when truncating, left-aligned otherwise, and
 * the "only showing top N rows" line when rows were left out — in 4.x without a newline
 * after it (3.5 had one), so `show`'s println ends that line instead of adding a blank one.
 */
export function showString(schema: Schema, rows: readonly Row[], options: ShowOptions): string {
  const numRows = Math.max(0, options.numRows);
  const shown = rows.slice(0, numRows);
  const hasMoreData = rows.length > numRows;
  const truncate = options.truncate;

  const header = schema.map((f) => f.name);
  const body = shown.map((row) =>
    schema.map((field, i) => {
      const text = renderCell(row[i] ?? null, field.type, options.timeZone);
      if (truncate > 0 && text.length > truncate) {
        return loneSurrogatesAsJava(truncate < 4 ? text.substring(0, truncate) : `${text.substring(0, truncate - 3)}...`);
      }
      return loneSurrogatesAsJava(text);
    }),
  );

  const widths = header.map((name, i) => {
    let w = Math.max(3, displayWidth(name));
    for (const cells of body) w = Math.max(w, displayWidth(cells[i] ?? ''));
    return w;
  });

  const pad = (text: string, width: number): string => {
    const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
    return truncate > 0 ? fill + text : text + fill;
  };
  const line = (cells: readonly string[]): string =>
    `|${cells.map((c, i) => pad(c, widths[i] ?? 3)).join('|')}|\n`;
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+\n`;

  let out = sep + line(header) + sep;
  for (const cells of body) out += line(cells);
  out += sep;
  if (hasMoreData) out += `only showing top ${numRows} ${numRows === 1 ? 'row' : 'rows'}`;
  return out;
}

/**
 * Truncation counts UTF-16 code units, as Java's substring does, so it may split a surrogate
 * pair; Java's UTF-8 encoder then writes the lone half as `?` (Node would write U+FFFD).
 */
function loneSurrogatesAsJava(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?');
}

/** What `Dataset.show` prints: `println(showString(...))`. */
export function showOutput(schema: Schema, rows: readonly Row[], options: ShowOptions): string {
  return `${showString(schema, rows, options)}\n`;
}

const BATCH_RULE = '-'.repeat(43);

/**
 * What the console sink prints for one batch (ConsoleWrite: three println lines, then
 * `show`): a blank line after the table, none after "only showing top N rows".
 */
export function consoleBatch(batchId: number, schema: Schema, rows: readonly Row[], options: ShowOptions): string {
  return `${BATCH_RULE}\nBatch: ${batchId}\n${BATCH_RULE}\n${showOutput(schema, rows, options)}`;
}
