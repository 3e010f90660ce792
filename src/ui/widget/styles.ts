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
.label{margin:0 0 .375rem;font-size:.8125rem;font-weight:600;color:var(--m)}
.groups{position:relative}
.groups::after{content:"";position:absolute;left:0;bottom:-.25rem;width:2.5rem;border-top:2px solid var(--a);
opacity:0;transition:opacity .2s}
.groups[aria-busy=true]::after{opacity:1;transition-delay:.15s}
.groups:focus{outline:none}
.groups:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.empty{margin:0;font-size:.8125rem;color:var(--m)}
.category{margin:.5rem 0 .25rem;font-size:.6875rem;font-weight:600;letter-spacing:.05em;text-transform:uppercase;color:var(--m)}
.category:first-child{margin-top:0}
.list{display:flex;flex-wrap:wrap;gap:.375rem;margin:0;padding:0;list-style:none}
.item{position:relative;display:inline-flex;min-width:0;max-width:100%}
button{font:inherit;color:var(--t);cursor:pointer;margin:0}
.tag,.report{border:1px solid var(--b);background:var(--c);font-size:.875rem;min-height:2rem}
.tag{border-radius:1rem 0 0 1rem;border-right:0;padding:.2rem .5rem .2rem .65rem;min-width:0;
overflow-wrap:anywhere;text-align:start}
.tag::before{content:"+";content:"+"/"";margin-right:.3rem;color:var(--a);font-weight:600}
.implicit,.implicit+.report{border-style:dashed}
.report{flex:none;border-radius:0 1rem 1rem 0;padding:.2rem .55rem .2rem .4rem;color:var(--m);font-size:.75rem}
.tag:hover,.report:hover{border-color:var(--a);background:var(--s)}
.tag:hover+.report{border-left-color:var(--a)}
.report:hover,.report[aria-expanded=true]{color:var(--t)}
button:focus-visible{outline:2px solid var(--a);outline-offset:2px;position:relative;z-index:1}
.tip{display:none;position:absolute;left:0;top:calc(100% + .3rem);z-index:2;width:max-content;
max-width:min(18rem,var(--room,calc(100vw - 2rem)));overflow-wrap:anywhere;
padding:.25rem .5rem;border-radius:.25rem;background:var(--t);color:var(--s);font-size:.75rem}
.tip::before{content:"";position:absolute;left:0;right:0;bottom:100%;height:.3rem}
.item:hover .tip,.tag:focus-visible~.tip{display:block}
.from-end .tip,.from-end .menu{left:auto;right:0}
.groups.quiet .tip,.item:has(.menu) .tip,.report:hover~.tip{display:none}
.menu{position:absolute;left:0;top:calc(100% + .3rem);z-index:3;display:flex;flex-direction:column;min-width:10rem;
padding:.25rem;border:1px solid var(--b);border-radius:.375rem;background:var(--s);box-shadow:0 4px 14px rgba(0,0,0,.18)}
.menu button{border:0;background:none;text-align:left;padding:.375rem .5rem;border-radius:.25rem;font-size:.875rem}
.menu button:hover,.menu button:focus{background:var(--c)}
.status{margin:.375rem 0 0;font-size:.8125rem;color:var(--m)}
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
