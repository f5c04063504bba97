import type { Bound } from './bound.js';

/** A scalar function's contract: its arity, and how it resolves its bound arguments. */
export interface FunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Argument SQL list for the name, when it differs from `name(a, b)` (e.g. split's limit). */
  /** `ansi`: spark.sql.ansi.enabled (errors under ANSI, NULL or legacy results without). */
  resolve(args: readonly Bound[], timeZone: string, ansi?: boolean): Omit<Bound, "name" | "sql"> & { readonly sql?: string | undefined };
}
