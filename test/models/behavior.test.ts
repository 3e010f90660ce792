// Behavioral tests of the default (ensemble) model trained on the shared Made With ML projects, the way Made With ML
// tests its models: a text naming PyTorch gets pytorch; changing an irrelevant word leaves the tags alone; a typo does
// not derail it.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labelsOf, loadContent, timeSplit } from "../../src/data/index.js";
import { withChosenScores } from "../../src/eval/index.js";
import { loadModel } from "../../src/model/index.js";
import { TAGGER_KINDS, type Tagger, type TaggerKind } from "../../src/taggers/index.js";
import { loadTaxonomy } from "../../src/taxonomy/index.js";
import {
  DEFAULT_TRAIN_CONFIG,
  trainFromFiles,
  trainingItems,
  trainTagger,
} from "../../src/train/index.js";
import { mwmlFile } from "../support/shared-data.js";

const projects = mwmlFile("projects.json");
const tags = mwmlFile("tags.json");

describe.skipIf(!projects || !tags)("the default model on Made With ML data", () => {
  let dir: string;
  let tagger: Tagger;
  const top = (title: string, description = "") =>
    tagger.suggest({ title, description }, { limit: 5 }).map((s) => s.tag);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tagsmith-behavior-"));
    await trainFromFiles({
      dataFiles: [projects as string],
      taxonomyFile: tags as string,
      out: dir,
      seed: 42,
      config: DEFAULT_TRAIN_CONFIG,
      workers: 2,
      version: "test",
    });
    tagger = (await loadModel(dir)).tagger;
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("suggests pytorch for a text naming PyTorch, as explicit with evidence", () => {
    const suggestions = tagger.suggest({
      title: "Image classification in PyTorch",
      description: "Training a ResNet on CIFAR-10 with PyTorch Lightning.",
    });
    const pytorch = suggestions.find((s) => s.tag === "pytorch");
    expect(pytorch?.source).toBe("explicit");
    expect(pytorch?.evidence?.[0]?.text).toBe("PyTorch");
  });

  it("suggests the implied domain: a BERT fine-tune is natural-language-processing", () => {
    expect(
      top(
        "Fine-tuning BERT for sentiment of tweets",
        "We fine-tune a pretrained BERT model on tweets.",
      ),
    ).toContain("natural-language-processing");
  });

  it("leaves the tags alone when an irrelevant word changes", () => {
    const base = "Real-time object detection with YOLOv4 on a webcam";
    expect(top(base.replace("webcam", "camera"))).toEqual(top(base));
    expect(top(base.replace("webcam", "laptop"))).toEqual(top(base));
    const paper = "Named entity recognition with BiLSTM-CRF, a study by Alice";
    expect(top(paper.replace("Alice", "Bob"))).toEqual(top(paper));
  });

  it("is not derailed by a typo", () => {
    const right = top(
      "Transformers for machine translation",
      "An attention-based encoder-decoder for translation.",
    );
    const typo = top(
      "Transfromers for machine translation",
      "An attention-based encoder-decoder for translation.",
    );
    const shared = typo.filter((tag) => right.includes(tag));
    expect(shared.length).toBeGreaterThanOrEqual(Math.min(3, right.length));
    expect(typo).toContain("natural-language-processing");
  });

  it("reads ligatures and full-width letters (text pasted from a PDF) as the plain letters it was trained on", () => {
    const plain = tagger.suggest({
      title: "Fine-tuning BERT for sentiment classification",
      description: "We fine-tune a pretrained BERT model on movie reviews with PyTorch.",
    });
    const pasted = tagger.suggest({
      title: "Fine-tuning BERT for sentiment classi\ufb01cation",
      description:
        "We \ufb01ne-tune a pretrained \uff22\uff25\uff32\uff34 model on movie reviews with \uff30\uff59\uff34\uff4f\uff52\uff43\uff48.",
    });
    expect(plain.length).toBeGreaterThan(0);
    expect(pasted.map((s) => [s.tag, s.score])).toEqual(plain.map((s) => [s.tag, s.score]));
    // Evidence still points at what the author wrote.
    expect(pasted.find((s) => s.tag === "pytorch")?.evidence?.[0]?.text).toBe(
      "\uff30\uff59\uff34\uff4f\uff52\uff43\uff48",
    );
  });

  it("suggests the tag a title is made of: confidence never lowers a named tag", () => {
    for (const title of ["PyTorch", "Python", "Image classification", "Neural networks"]) {
      const tag = title.toLowerCase().replace(" ", "-");
      expect(top(title)).toContain(tag);
    }
  });

  it("takes the author's chosen tags as evidence: the rest of an item's tags are found better", async () => {
    // Trained on the oldest 85%, scored on the newest 15%, as the reference split.
    const taxonomy = await loadTaxonomy(tags as string);
    const { items } = await loadContent(projects as string);
    const [fit, test] = timeSplit(
      items.filter((i) => labelsOf(i, taxonomy).gold.length > 0),
      [0.85, 0.15],
    );
    const kind = TAGGER_KINDS.ensemble as TaggerKind;
    const trained = await trainTagger(
      kind,
      fit ?? [],
      { taxonomy, seed: 42, workers: 2 },
      { limit: 5, singleLabel: false },
    );
    const ensemble = kind.create(trained.state, taxonomy);
    const heldOut = trainingItems(test ?? [], taxonomy);
    // Ranks as if nothing were chosen, then drops the chosen tags: what exclude did before it was evidence.
    const ignoring: Tagger = {
      name: "ensemble ignoring chosen tags",
      suggest: (content, options = {}) =>
        ensemble
          .suggest(content, { ...options, exclude: [], limit: 50 })
          .filter((s) => !options.exclude?.includes(s.tag))
          .slice(0, options.limit ?? 5),
    };
    const using = withChosenScores(ensemble, heldOut, 5);
    const before = withChosenScores(ignoring, heldOut, 5);
    expect(using.n_docs).toBeGreaterThan(100);
    expect(before.at_5.recall).not.toBeNull();
    expect(using.at_5.recall).toBeGreaterThan(before.at_5.recall as number);
  }, 120_000);

  it("answers empty content with an empty list", () => {
    expect(tagger.suggest({ title: "", description: "" })).toEqual([]);
  });
});
