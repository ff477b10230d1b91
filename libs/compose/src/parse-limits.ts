/*
 * Guards shared by the two readers of YAML (parse.ts's Walker over a yaml Document, parse-fast.ts over the text),
 * which must refuse the same files.
 */

/** Values produced by expanding aliases; far above any real file, far below a "billion laughs". */
export const MAX_ALIAS_NODES = 100_000;
/** Levels of nesting of the document tree. */
export const MAX_DEPTH = 64;
