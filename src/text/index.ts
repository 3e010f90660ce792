// Text normalisation: the one place that decides how text and tag names are compared.
export { normalizeText, tagKey, words } from "./normalize.js";
