// The one suggestion type: it flows from every tagger through the ensemble, evaluation, the CLI and the HTTP API.

/** Where an explicit tag was found: the matched text and its character offsets in the field as given. */
export interface Evidence {
  field: "title" | "description";
  text: string;
  start: number;
  end: number;
}

export interface Suggestion {
  tag: string;
  /** Confidence in 0..1; higher is better. Comparable within one tagger's output. */
  score: number;
  /** explicit: the tag (or an alias) is in the text; implicit: implied by the text or by a matched tag. */
  source: "explicit" | "implicit";
  /** Where the tag was found, first occurrences first: at most MAX_EVIDENCE_SPANS (tagger.ts) once suggested. */
  evidence?: Evidence[];
}

/** What a tagger reads: the author's title and description. */
export interface ContentInput {
  title: string;
  description?: string;
}
