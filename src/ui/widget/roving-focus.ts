// Arrow keys inside the suggestions: which control gets focus next. The controls come in pairs, each suggestion's
// tag button then its report button, so one tab stop reaches them all (a roving tabindex).

/**
 * The index to focus after `key` at `index` among `count` controls, or null when the key is not ours.
 * Left and Right step through every control, toward the next one on screen: in right-to-left text (`rtl`) the next
 * control is drawn to the left, so Left moves forward. Up and Down jump between tag buttons; Home and End go to the
 * first and last tag button. Movement wraps around.
 */
export function rovingTarget(
  key: string,
  index: number,
  count: number,
  rtl = false,
): number | null {
  if (count === 0) return null;
  const wrap = (i: number) => ((i % count) + count) % count;
  const tagOf = (i: number) => i - (i % 2);
  const tags = Math.ceil(count / 2);
  switch (key) {
    case "ArrowRight":
      return wrap(rtl ? index - 1 : index + 1);
    case "ArrowLeft":
      return wrap(rtl ? index + 1 : index - 1);
    case "ArrowDown":
      return ((tagOf(index) / 2 + 1) % tags) * 2;
    case "ArrowUp":
      return ((tagOf(index) / 2 - 1 + tags) % tags) * 2;
    case "Home":
      return 0;
    case "End":
      return (tags - 1) * 2;
    default:
      return null;
  }
}
