// String order for what the registry lists and renders: by UTF-16 code unit (JavaScript's <; code point order for
// every character outside the astral planes), as the rest of tagsmith sorts, so the order and the bytes of a model
// card are the same on every machine whatever its locale, which localeCompare's are not.

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
