// widget.js: registers <tagsmith-suggestions>. A classic script, so any page can load it with a plain <script>;
// the service it talks to defaults to the origin this script came from.

import { TagsmithSuggestions } from "./element.js";

const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.src)
  TagsmithSuggestions.defaultEndpoint = new URL(script.src).origin;

if (!customElements.get("tagsmith-suggestions"))
  customElements.define("tagsmith-suggestions", TagsmithSuggestions);

declare global {
  interface HTMLElementTagNameMap {
    "tagsmith-suggestions": TagsmithSuggestions;
  }
}
