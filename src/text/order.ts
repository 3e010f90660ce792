// String order for everything tagsmith sorts into files, lists and models: by UTF-16 code unit (JavaScript's <; code
// point order for every character outside the astral planes), so a split, a model, an overlay file or a model card is
// the same on every machine whatever its locale, which localeCompare's order is not ("B" before "a" here, after it
// under a locale's collation).

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
