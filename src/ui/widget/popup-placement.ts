// Which way a suggestion's tooltip and report menu open. Both hang under their suggestion; from its left edge they
// ran off a narrow screen for a suggestion on the right (a tooltip at 320 px ended at 393 px), so each opens toward
// the side with more room and is never wider than that room.

/** Kept between a tooltip or menu and the edge of the screen. */
const EDGE_MARGIN_PX = 16;

/** Places the popups of the suggestion an event happened in (pointerover, focusin): before they can show. */
export function placePopups(event: Event): void {
  const item = event.target instanceof Element ? event.target.closest<HTMLElement>(".item") : null;
  if (!item) return;
  const { left, right } = item.getBoundingClientRect();
  const toRight = document.documentElement.clientWidth - left - EDGE_MARGIN_PX;
  const toLeft = right - EDGE_MARGIN_PX;
  const fromEnd = toLeft > toRight;
  item.classList.toggle("from-end", fromEnd);
  item.style.setProperty("--room", `${Math.max(fromEnd ? toLeft : toRight, 0)}px`);
}
