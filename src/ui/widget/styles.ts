// The widget's look, inside its shadow root so the host's CSS neither leaks in nor out. Colours are custom
// properties a host may override (--tagsmith-accent, --tagsmith-text, --tagsmith-muted, --tagsmith-surface,
// --tagsmith-chip, --tagsmith-border). The defaults follow the host page's color-scheme through light-dark(), not
// the reader's setting: the widget's text sits on the host's background, and a page that declares no color-scheme
// stays light for a reader who prefers dark (muted dark-scheme text on it was 2.4:1). Browsers without
// light-dark() keep the light defaults.
// A tooltip shown by hover stays while the pointer moves onto it (its ::before bridges the gap), and Escape hides
// it (.quiet), as WCAG 1.4.13 asks: the hiding rules come last with as much specificity as the showing ones.
// A poll on its way shows as a short accent bar under the list (after .15 s, so a quick one shows nothing), never
// by fading the suggestions: faded, muted text fell to 2.9:1.
// Sizes are in em of the host's text, not rem: a host page whose root font is 62.5% (10 px) shrank rem-sized chips to
// 8.75 px text and 18 px targets. An element that sets its own font size scales its other lengths by it (a chip's
// .875em text, 2.29em tall: 2em of the host's text). The chip's two halves are shaped by logical properties, so in
// right-to-left text the "+" and the rounded end face outward; tooltips and menus stay physical, as
// popup-placement.ts measures the screen's room in physical pixels.
// An implied suggestion's dashed border is drawn in the muted text colour (6:1), as the light border of named ones
// (1.5:1) left the one visible difference between them hard to see (WCAG 1.4.11). Category headings are small capitals
// by font-variant, not text-transform: some screen readers spell capitals made by CSS letter by letter.

export const WIDGET_CSS = `
:host{display:block;font:inherit;line-height:1.4;
--a:var(--tagsmith-accent,#0a5fc2);--t:var(--tagsmith-text,#1f2328);--m:var(--tagsmith-muted,#57606a);
--s:var(--tagsmith-surface,#fff);--c:var(--tagsmith-chip,#f3f6f9);--b:var(--tagsmith-border,#c9d1d9)}
@supports (color:light-dark(#000,#fff)){:host{
--a:var(--tagsmith-accent,light-dark(#0a5fc2,#6cb6ff));--t:var(--tagsmith-text,light-dark(#1f2328,#e6edf3));
--m:var(--tagsmith-muted,light-dark(#57606a,#9da7b3));--s:var(--tagsmith-surface,light-dark(#fff,#161b22));
--c:var(--tagsmith-chip,light-dark(#f3f6f9,#1f2630));--b:var(--tagsmith-border,light-dark(#c9d1d9,#3d4753))}}
:host([hidden]){display:none}
*{box-sizing:border-box}
.label{margin:0 0 .46em;font-size:.8125em;font-weight:600;color:var(--m);text-transform:none;letter-spacing:normal}
.groups{position:relative}
.groups::after{content:"";position:absolute;inset-inline-start:0;bottom:-.25em;width:2.5em;border-top:2px solid var(--a);
opacity:0;transition:opacity .2s}
.groups[aria-busy=true]::after{opacity:1;transition-delay:.15s}
.groups:focus{outline:none}
.groups:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.empty{margin:0;font-size:.8125em;color:var(--m)}
.category{margin:.6em 0 .3em;font-size:.8125em;font-weight:600;letter-spacing:.04em;font-variant-caps:all-small-caps;
color:var(--m)}
.category:first-child{margin-top:0}
.list{display:flex;flex-wrap:wrap;gap:.375em;margin:0;padding:0;list-style:none}
.item{position:relative;display:inline-flex;min-width:0;max-width:100%}
button{font:inherit;color:var(--t);cursor:pointer;margin:0}
.tag,.report{border:1px solid var(--b);border-radius:0;background:var(--c)}
.tag{font-size:.875em;min-height:2.29em;border-start-start-radius:1.14em;border-end-start-radius:1.14em;
border-inline-end:0;padding:.23em .57em .23em .74em;padding-inline:.74em .57em;min-width:0;
overflow-wrap:anywhere;text-align:start}
.tag::before{content:"+";content:"+"/"";margin-inline-end:.34em;color:var(--a);font-weight:600}
.implicit,.implicit+.report{border-style:dashed;border-color:var(--m)}
.report{flex:none;font-size:.75em;min-height:2.67em;border-start-end-radius:1.33em;border-end-end-radius:1.33em;
padding:.27em .73em .27em .53em;padding-inline:.53em .73em;color:var(--m)}
.tag:hover,.report:hover{border-color:var(--a);background:var(--s)}
.tag:hover+.report{border-inline-start-color:var(--a)}
.report:hover,.report[aria-expanded=true]{color:var(--t)}
button:focus-visible{outline:2px solid var(--a);outline-offset:2px;position:relative;z-index:1}
.tip{display:none;position:absolute;left:0;top:calc(100% + .4em);z-index:2;width:max-content;
max-width:min(24em,var(--room,calc(100vw - 2rem)));overflow-wrap:anywhere;
padding:.33em .67em;border-radius:.33em;background:var(--t);color:var(--s);font-size:.75em}
.tip::before{content:"";position:absolute;left:0;right:0;bottom:100%;height:.4em}
.item:hover .tip,.tag:focus-visible~.tip{display:block}
.from-end .tip,.from-end .menu{left:auto;right:0}
.groups.quiet .tip,.item:has(.menu) .tip,.report:hover~.tip{display:none}
.menu{position:absolute;left:0;top:calc(100% + .3em);z-index:3;display:flex;flex-direction:column;min-width:10em;
padding:.25em;border:1px solid var(--b);border-radius:.375em;background:var(--s);box-shadow:0 4px 14px rgba(0,0,0,.18)}
.menu button{border:0;background:none;text-align:start;padding:.43em .57em;border-radius:.29em;font-size:.875em}
.menu button:hover,.menu button:focus{background:var(--c)}
.status{margin:.46em 0 0;font-size:.8125em;color:var(--m)}
.status:empty{margin:0}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
@media (forced-colors:active){.tag,.report{border-color:ButtonText}.tip{border:1px solid CanvasText}}
@media (prefers-reduced-motion:reduce){.groups::after{transition:none}}
`;

let shared: CSSStyleSheet | null | undefined;

/**
 * Adopts one constructed sheet shared by every instance: a host whose Content-Security-Policy forbids inline
 * styles still styles the widget. Browsers without constructable sheets get a <style> element instead.
 */
export function applyStyles(root: ShadowRoot): void {
  if (shared === undefined) {
    try {
      shared = new CSSStyleSheet();
      shared.replaceSync(WIDGET_CSS);
    } catch {
      shared = null;
    }
  }
  if (shared) root.adoptedStyleSheets = [shared];
  else {
    const style = document.createElement("style");
    style.textContent = WIDGET_CSS;
    root.prepend(style);
  }
}
