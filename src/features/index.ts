// Text as sparse vectors: word and character n-gram TF-IDF on typed arrays.
export { CharGramIndex } from "./char-grams.js";
export {
  normalizeL2,
  rowsToMatrix,
  type SparseMatrix,
  type SparseVector,
} from "./sparse.js";
export {
  DEFAULT_CHAR_NGRAMS,
  DEFAULT_VECTORIZER,
  DEFAULT_WORD_NGRAMS,
  fitVectorizer,
  type NgramConfig,
  terms,
  Vectorizer,
  type VectorizerConfig,
  type VectorizerState,
} from "./tfidf.js";
export { WordGramIndex } from "./word-grams.js";
