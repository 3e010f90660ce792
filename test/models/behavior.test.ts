// Behavioral tests of the default (ensemble) model trained on the shared Made With ML projects, the way Made With ML
// tests its models: a text naming PyTorch gets pytorch; changing an irrelevant word leaves the tags alone; a typo does
// not derail it.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/model/index.js";
import type { Tagger } from "../../src/taggers/index.js";
import { DEFAULT_TRAIN_CONFIG } from "../../src/train/config.js";
import { trainFromFiles } from "../../src/train/run.js";
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

  it("answers empty content with an empty list", () => {
    expect(tagger.suggest({ title: "", description: "" })).toEqual([]);
  });
});
