// The warm-up the service runs before it serves a model: a model that keeps the taggers' contract passes, asked about
// texts naming approved tags; one that answers with non-numbers, unapproved or chosen tags is refused, naming model.bin;
// one that answers nothing is not (kNN and the keyword table answer only texts that share their words). The service keeping its current model then is in test/serve/live-model.test.ts.

import { beforeAll, describe, expect, it } from "vitest";
import { loadSample } from "../../test/support/sample.js";
import { TagsmithError } from "../errors.js";
import {
  type Suggestion,
  type SuggestOptions,
  TAGGER_KINDS,
  type Tagger,
  type TaggerKind,
} from "../taggers/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import { trainTagger } from "../train/index.js";
import { WARM_UP_PROBES, warmUp } from "./warm-up.js";

let taxonomy: Taxonomy;
let state: Record<string, unknown>;
const ensemble = TAGGER_KINDS.ensemble;
if (!ensemble) throw new Error("no ensemble tagger");

beforeAll(async () => {
  const sample = await loadSample();
  taxonomy = sample.taxonomy;
  const trained = await trainTagger(
    ensemble,
    sample.items,
    { taxonomy, seed: 7, workers: 1 },
    { limit: 5, singleLabel: false },
  );
  state = trained.state as Record<string, unknown>;
});

const modelOf = (tagger: Tagger) => ({
  tagger,
  taxonomy,
  content: { kind: "ensemble", labelMode: "multi" as const, taxonomy: [], state },
  dir: "/models/m",
});

/** The trained ensemble with its answers passed through `edit`. */
const answering = (
  edit: (answer: Suggestion[], options: SuggestOptions | undefined) => Suggestion[],
): Tagger => {
  const tagger = ensemble.create(state, taxonomy);
  return {
    name: tagger.name,
    suggest: (content, options) => edit(tagger.suggest(content, options), options),
  };
};

async function refusal(tagger: Tagger): Promise<TagsmithError> {
  const error = await warmUp(modelOf(tagger)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TagsmithError);
  expect((error as TagsmithError).location?.file).toBe("/models/m/model.bin");
  return error as TagsmithError;
}

describe("warmUp", () => {
  it("asks a trained model about texts naming approved tags and lets it pass", async () => {
    const warmed = await warmUp(modelOf(ensemble.create(state, taxonomy)));
    expect(warmed.probes).toBe(WARM_UP_PROBES);
    expect(warmed.ms).toBeGreaterThan(0);
  });

  it("refuses a model whose scores are not numbers", async () => {
    const error = await refusal(answering((answer) => answer.map((s) => ({ ...s, score: NaN }))));
    expect(error.problem).toMatch(
      /^the ensemble model answers ".+" with \S+ scored NaN, not a number from 0 to 1/,
    );
  });

  it("refuses a model that suggests a tag not on the approved list", async () => {
    const error = await refusal(
      answering((answer) =>
        [{ tag: "not-approved", score: 1, source: "implicit" as const }, ...answer].slice(0, 5),
      ),
    );
    expect(error.problem).toContain('the tag "not-approved", which is not approved');
  });

  it("refuses a model that suggests a tag the author chose", async () => {
    const error = await refusal(
      answering((answer, options) => {
        const chosen = options?.exclude?.[0];
        return chosen
          ? [{ tag: taxonomy.resolve(chosen) as string, score: 1, source: "explicit" as const }]
          : answer;
      }),
    );
    expect(error.problem).toContain("which the author chose");
  });

  it("lets pass a model that answers nothing to texts it has no words of (kNN on other vocabulary)", async () => {
    const knn = TAGGER_KINDS.knn as TaggerKind;
    const items = ["pixels and masks", "masks of pixels", "frames of pixels"].map((title, i) => ({
      id: String(i),
      title,
      description: "",
      gold: ["computer-vision"],
    }));
    const tagger = knn.create(await knn.train(items, { taxonomy, seed: 1, workers: 1 }), taxonomy);
    expect(tagger.suggest({ title: "computer vision with nlp" }, { minScore: 0 })).toEqual([]);
    expect((await warmUp(modelOf(tagger))).probes).toBe(WARM_UP_PROBES);
  });

  it("stops early when the service stops", async () => {
    let asked = 0;
    const counting = answering((answer) => {
      asked++;
      return answer;
    });
    const warmed = await warmUp(modelOf(counting), { stopped: () => asked >= 3 });
    expect(warmed.probes).toBe(3);
  });
});
