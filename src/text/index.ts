// Text normalisation and tokenisation: the one place that decides how text and tag names are compared.
export { counted } from "./count.js";
export { foldWhitespace, normalizeText, tagKey, words } from "./normalize.js";
export { byCodeUnit } from "./order.js";
export {
  cutBefore,
  foldPlural,
  hasToken,
  phraseKey,
  type Token,
  tokenize,
} from "./tokens.js";
