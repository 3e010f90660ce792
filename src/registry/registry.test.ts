// The registry on real files, with small models trained here on the bundled sample: content-derived ids,
// idempotent registration, stages through promote and rollback, the gate, damaged versions, unwritable registries.

import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadSample,
  SAMPLE_CONTENT,
  SAMPLE_TAXONOMY,
  sampleHalves,
} from "../../test/support/sample.js";
import { TagsmithError } from "../errors.js";
import { loadModel } from "../model/index.js";
import { parseTrainConfig, trainFromFiles } from "../train/index.js";
import { scoreOnGold } from "./gate.js";
import { GateRefusedError } from "./gate-run.js";
import { ModelRegistry, versionId } from "./registry.js";
import { CARD_FILE, REGISTRY_FILE, VERSIONS_DIR } from "./schema.js";

let work: string;
const models: Record<string, string> = {};

async function train(
  name: string,
  tagger: string,
  seed = 42,
  dataFiles = [SAMPLE_CONTENT],
): Promise<string> {
  const out = join(work, "trained", name);
  await trainFromFiles({
    dataFiles,
    taxonomyFile: SAMPLE_TAXONOMY,
    out,
    seed,
    config: parseTrainConfig({ tagger }),
    version: "test",
  });
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tagsmith-registry-"));
  models.rules = await train("rules", "rules");
  models.random = await train("random", "random");
  for (const seed of [1, 2, 3, 4])
    models[`random${seed}`] = await train(`random${seed}`, "random", seed);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let n = 0;
const fresh = () => new ModelRegistry(join(work, `registry-${n++}`));
const manifestOf = async (dir: string) =>
  JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
const stateOf = async (registry: ModelRegistry) =>
  JSON.parse(await readFile(join(registry.dir, REGISTRY_FILE), "utf8"));

describe("register", () => {
  it("copies a model directory into versions/<id>, the id derived from model.bin", async () => {
    const registry = fresh();
    const { version, created } = await registry.register(models.rules as string);
    const source = await manifestOf(models.rules as string);
    expect(created).toBe(true);
    expect(version.id).toBe(versionId(source.modelSha256));
    expect(version.id).toMatch(/^m-[0-9a-f]{12}$/);
    expect(version.stage).toBe("candidate");
    expect((await readdir(version.dir)).sort()).toEqual(
      [CARD_FILE, "manifest.json", "metrics.json", "model.bin"].sort(),
    );
    expect(version.manifest).toMatchObject({
      ...source,
      registry: { id: version.id, source: models.rules, heldOut: { items: 11, split: "time" } },
    });
    expect(version.manifest.data.sources?.[0]?.path).toBe(SAMPLE_CONTENT);
    expect(await readdir(join(registry.dir, ".staging"))).toEqual([]);
  });

  it("is idempotent: the same model registered again is the same version, unchanged", async () => {
    const registry = fresh();
    const first = await registry.register(models.rules as string);
    const again = await registry.register(models.rules as string);
    expect(again.created).toBe(false);
    expect(again.version.id).toBe(first.version.id);
    expect(again.version.history).toHaveLength(1);
    expect(Object.keys((await stateOf(registry)).versions)).toEqual([first.version.id]);
  });

  it("keeps every one of several registers running at once", async () => {
    const registry = fresh();
    const results = await Promise.all(
      [1, 2, 3, 4].map((seed) => registry.register(models[`random${seed}`] as string)),
    );
    const ids = results.map((r) => r.version.id);
    expect(new Set(ids).size).toBe(4);
    expect(Object.keys((await stateOf(registry)).versions).sort()).toEqual([...ids].sort());
    expect((await registry.list()).versions.map((v) => v.id).sort()).toEqual([...ids].sort());
  });

  it("removes what a register that died left in .staging, and nothing of a live or remote one", async () => {
    const registry = fresh();
    await registry.ensureWritable();
    const staging = join(registry.dir, ".staging");
    const dead = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const leftovers = [
      `${dead}.aaaa.${hostname()}`,
      `${process.ppid}.bbbb.${hostname()}`,
      `${dead}.cccc.another-host`,
    ];
    for (const name of leftovers) await mkdir(join(staging, name));
    await registry.register(models.rules as string);
    expect((await readdir(staging)).sort()).toEqual(leftovers.slice(1).sort());
  });

  it("mends a damaged version when the model is registered again, as the damage messages advise, keeping its stage", async () => {
    const registry = fresh();
    const { version } = await registry.register(models.rules as string);
    await registry.promote(version.id);
    const history = (await registry.get(version.id)).history;
    const damages: [string, () => Promise<void>, RegExp][] = [
      [
        "model.bin edited",
        () => writeFile(join(version.dir, "model.bin"), "not a model"),
        /model\.bin does not match the checksum/,
      ],
      [
        "manifest.json removed",
        () => rm(join(version.dir, "manifest.json")),
        /manifest\.json was removed/,
      ],
      [
        "manifest.json not JSON",
        () => writeFile(join(version.dir, "manifest.json"), "{"),
        /not JSON/,
      ],
    ];
    for (const [what, damage, problem] of damages) {
      await damage();
      await expect(
        registry.get(version.id).then((damaged) => registry.verify(damaged)),
        what,
      ).rejects.toThrow(problem);
      // Three at once: one replaces the copy, the others find it mended.
      const results = await Promise.all(
        [1, 2, 3].map(() => registry.register(models.rules as string)),
      );
      expect(
        results.filter((r) => r.repaired !== undefined),
        what,
      ).toHaveLength(1);
      expect(results.find((r) => r.repaired)?.repaired, what).toMatch(problem);
      expect(
        results.every((r) => !r.created),
        what,
      ).toBe(true);
      const mended = await registry.get(version.id);
      await registry.verify(mended);
      expect(mended.stage, what).toBe("production");
      expect(mended.history, what).toEqual(history);
      expect(mended.manifest.registry.registeredAt, what).toBe(
        version.manifest.registry.registeredAt,
      );
      expect(await readdir(join(registry.dir, ".staging")), what).toEqual([]);
    }
    // Sound, it is left alone.
    const again = await registry.register(models.rules as string);
    expect(again.repaired).toBeUndefined();
    expect(again.created).toBe(false);
  });

  it("says when a model it holds already was registered from other data, whose manifest it keeps", async () => {
    const registry = fresh();
    const dir = join(work, "halves-for-register");
    await mkdir(dir, { recursive: true });
    const { firstHalf } = await sampleHalves(dir);
    // A rules model's bytes come from its taxonomy alone: trained on half the data, it is the same model.
    const half = await train("rules-half", "rules", 42, [firstHalf]);
    expect((await manifestOf(half)).modelSha256).toBe(
      (await manifestOf(models.rules as string)).modelSha256,
    );
    const first = await registry.register(models.rules as string);
    expect(first.otherData).toBeUndefined();
    const again = await registry.register(half);
    expect(again).toMatchObject({
      created: false,
      otherData: { files: first.version.manifest.data.files },
    });
    expect((await registry.register(models.rules as string)).otherData).toBeUndefined();
  });

  it("refuses a directory that is not a model", async () => {
    await expect(fresh().register(join(work, "nothing"))).rejects.toThrow(
      /nothing does not exist: a model directory is needed/,
    );
  });
});

describe("ids", () => {
  it("resolves an unambiguous prefix and names the way to list ids for an unknown one", async () => {
    const registry = fresh();
    const { version } = await registry.register(models.rules as string);
    expect((await registry.get(version.id.slice(0, 6))).id).toBe(version.id);
    const unknown = await registry.get("m-nope").catch((e) => e);
    expect(unknown).toBeInstanceOf(TagsmithError);
    expect(unknown.code).toBe("not_found");
    expect(unknown.message).toMatch(/unknown model version "m-nope".*tagsmith models list/);
    await registry.register(models.random as string);
    await expect(registry.get("m-")).rejects.toThrow(/matches 2 versions/);
  });

  it("takes no name of Object.prototype for a version (it was read as a version whose files were removed)", async () => {
    const registry = fresh();
    await registry.register(models.rules as string);
    for (const ref of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const error = await registry.get(ref).catch((e) => e);
      expect(error.code, ref).toBe("not_found");
      expect(error.message, ref).toContain(`unknown model version "${ref}"`);
      await expect(registry.promote(ref, { force: true }), ref).rejects.toThrow(
        "unknown model version",
      );
    }
  });
});

describe("promote and rollback", () => {
  it("promotes through the gate, refuses a worse model, records --force, and rolls back", async () => {
    const registry = fresh();
    const rules = (await registry.register(models.rules as string)).version.id;
    const random = (await registry.register(models.random as string)).version.id;

    const first = await registry.promote(rules);
    expect(first).toMatchObject({ id: rules, previous: null, gate: null, unchanged: false });

    await expect(registry.promote(random)).rejects.toThrow(/no gold data to compare/);
    const unapproved = join(work, "no-approved-tag.json");
    await writeFile(
      unapproved,
      JSON.stringify([{ id: 1, title: "A text", description: "", tags: ["not-approved"] }]),
    );
    await expect(registry.promote(random, { gold: unapproved })).rejects.toThrow(
      "gold data has no item with an approved tag: the gate has nothing to score",
    );
    const refused = await registry.promote(random, { gold: SAMPLE_CONTENT }).catch((e) => e);
    expect(refused).toBeInstanceOf(GateRefusedError);
    expect(refused.code).toBe("gate_refused");
    expect(refused.gate.worse).toEqual(["suggested F1", "recall@5"]);
    expect(refused.gate.production.id).toBe(rules);
    expect((await stateOf(registry)).production).toBe(rules);
    // The refusal changed no stage, but is recorded as the version's last gate verdict.
    expect(await registry.get(random)).toMatchObject({
      stage: "candidate",
      lastGate: { outcome: "refused", worse: ["suggested F1", "recall@5"], production: rules },
    });
    // And the card kept in its directory says so, as `models card` renders it.
    expect(await readFile(join((await registry.get(random)).dir, CARD_FILE), "utf8")).toBe(
      await registry.card(random),
    );

    const forced = await registry.promote(random, { gold: SAMPLE_CONTENT, force: true });
    expect(forced).toMatchObject({ id: random, previous: rules, forced: true });
    const promoted = await registry.get(random);
    expect(promoted.stage).toBe("production");
    expect(promoted.lastGate).toMatchObject({ outcome: "forced", production: rules });
    expect(promoted.history.at(-1)).toMatchObject({
      action: "promote",
      stage: "production",
      forced: true,
      gate: { worse: ["suggested F1", "recall@5"] },
    });
    expect((await registry.get(rules)).stage).toBe("archived");
    expect(await readFile(join(promoted.dir, CARD_FILE), "utf8")).toMatch(
      /worse on suggested F1 and recall@5, promoted with --force/,
    );

    expect(await registry.rollback()).toEqual({ from: random, to: rules, warnings: [] });
    expect((await stateOf(registry)).production).toBe(rules);
    expect((await registry.get(random)).stage).toBe("archived");
    await expect(registry.rollback()).rejects.toThrow(
      `no earlier production version in registry ${registry.dir} to roll back to: nothing was in production before ${rules}; ${random}, promoted after it, was rolled back from and archived: to serve it again, promote it (tagsmith models promote ${random})`,
    );
  });

  it("accepts a better candidate and does nothing for the production version itself", async () => {
    const registry = fresh();
    const random = (await registry.register(models.random as string)).version.id;
    const rules = (await registry.register(models.rules as string)).version.id;
    await registry.setGold(SAMPLE_CONTENT);
    await registry.promote(random);
    const better = await registry.promote(rules);
    expect(better.gate?.worse).toEqual([]);
    expect(better.gate?.candidate.suggested_f1).toBeGreaterThan(
      better.gate?.production?.scores.suggested_f1 ?? 1,
    );
    expect((await registry.promote(rules)).unchanged).toBe(true);
  });

  it("scores a candidate that approves fewer tags on the gold labels of production's too, so it cannot gain by that", async () => {
    // The tags the rules model finds best on the sample: a list of only these makes its scores on its own labels
    // look better than production's on all of them.
    const { items, taxonomy } = await loadSample();
    const production = await loadModel(models.rules as string);
    const perTag = scoreOnGold(production, { items, labelMode: "multi" }).per_tag;
    const best = new Set(Object.keys(perTag).filter((tag) => (perTag[tag]?.f1 ?? 0) >= 0.75));
    expect(best.size).toBeGreaterThan(0);
    expect(best.size).toBeLessThan(taxonomy.tags.length);
    const narrowFile = join(work, "narrow-taxonomy.json");
    await writeFile(
      narrowFile,
      JSON.stringify(
        taxonomy.definitions
          .filter((def) => best.has(def.tag))
          .map((def) => ({ ...def, parents: def.parents.filter((p) => best.has(p)) })),
      ),
    );
    const narrowDir = join(work, "trained", "rules-narrow");
    await trainFromFiles({
      dataFiles: [SAMPLE_CONTENT],
      taxonomyFile: narrowFile,
      out: narrowDir,
      seed: 42,
      config: parseTrainConfig({ tagger: "rules" }),
      version: "test",
    });
    const narrow = await loadModel(narrowDir);
    const gold = { items, labelMode: "multi" as const };
    // What each scored under its own list, as the gate did: the narrow model looked better.
    expect(scoreOnGold(narrow, gold).suggested.f1).toBeGreaterThan(
      scoreOnGold(production, gold).suggested.f1,
    );

    const registry = fresh();
    const rules = (await registry.register(models.rules as string)).version.id;
    const narrowId = (await registry.register(narrowDir)).version.id;
    await registry.promote(rules);
    const refused = await registry.promote(narrowId, { gold: SAMPLE_CONTENT }).catch((e) => e);
    expect(refused).toBeInstanceOf(GateRefusedError);
    expect(refused.gate.worse).toContain("recall@5");
    expect(refused.gate.gold.approved).toEqual({
      candidateOnly: 0,
      productionOnly: taxonomy.tags.length - best.size,
    });
    expect((await stateOf(registry)).production).toBe(rules);
  });

  it("refuses to judge a candidate trained on the gold data production never saw, unless forced", async () => {
    // Production learned from the first half of the sample, the candidate from all of it; the gate scores the
    // second half, which only the candidate has seen.
    const { firstHalf, secondHalf: gold, secondHalfItems: seen } = await sampleHalves(work);
    const registry = fresh();
    const production = (
      await registry.register(await train("knn-first-half", "knn", 42, [firstHalf]))
    ).version.id;
    const candidate = (await registry.register(await train("knn", "knn"))).version.id;
    await registry.promote(production);

    const refused = await registry.promote(candidate, { gold }).catch((e) => e);
    expect(refused).toBeInstanceOf(GateRefusedError);
    expect(refused.gate.worse).toEqual([]);
    expect(refused.message).toBe(
      `${candidate} was trained on ${seen} of the ${seen} gold items (production ${production} on 0): its scores there are not held out, so the gate cannot tell whether it is better. Gate on gold data it was not trained on (split new labels first: tagsmith data split, see the README's "Next model"), or promote with --force`,
    );
    expect((await stateOf(registry)).production).toBe(production);
    // Recorded as a refusal, with what each model saw, for the console and models show.
    expect((await registry.get(candidate)).lastGate).toMatchObject({
      outcome: "refused",
      worse: [],
      production,
      seen: { candidate: seen, production: 0, items: seen },
    });

    // Production scored on the data it learned from is only harder to beat: judged as usual.
    expect((await registry.promote(candidate, { gold: firstHalf })).gate?.worse).toEqual([]);
    await registry.rollback();
    expect(await registry.promote(candidate, { gold, force: true })).toMatchObject({
      id: candidate,
      forced: true,
    });
    expect((await registry.get(candidate)).lastGate).toMatchObject({ outcome: "forced" });
  });

  it("refuses a candidate trained on gold items production never saw, though production saw as many others", async () => {
    // Production learned from the second half of the sample, the candidate from the first; the gate scores all of
    // it. The candidate saw no more gold items than production did, but each is flattered on its own half.
    const { firstHalf, secondHalf, secondHalfItems } = await sampleHalves(work);
    const items = JSON.parse(await readFile(SAMPLE_CONTENT, "utf8")).length;
    const registry = fresh();
    const production = (
      await registry.register(await train("knn-second-half", "knn", 42, [secondHalf]))
    ).version.id;
    const candidate = (
      await registry.register(await train("knn-first-half", "knn", 42, [firstHalf]))
    ).version.id;
    await registry.promote(production);

    const refused = await registry.promote(candidate, { gold: SAMPLE_CONTENT }).catch((e) => e);
    expect(refused).toBeInstanceOf(GateRefusedError);
    const seen = items - secondHalfItems;
    expect((await registry.get(candidate)).lastGate).toMatchObject({
      outcome: "refused",
      seen: { candidate: seen, production: secondHalfItems, candidateOnly: seen, items },
    });
    expect(refused.message).toContain(
      `${candidate} was trained on ${seen} of the ${items} gold items, ${seen} of them not seen by production (production ${production} on ${secondHalfItems})`,
    );
    expect((await stateOf(registry)).production).toBe(production);
  });

  it("refuses to judge a candidate whose training data cannot be read to tell, unless forced", async () => {
    const data = join(work, "gone-after-training.json");
    await writeFile(data, await readFile(SAMPLE_CONTENT, "utf8"));
    const registry = fresh();
    const production = (await registry.register(models.random as string)).version.id;
    await registry.promote(production);
    const candidate = (await registry.register(await train("knn-gone", "knn", 42, [data]))).version
      .id;
    await rm(data);
    const refused = await registry.promote(candidate, { gold: SAMPLE_CONTENT }).catch((e) => e);
    expect(refused).toBeInstanceOf(GateRefusedError);
    expect(refused.message).toMatch(
      new RegExp(
        `^cannot tell whether ${candidate} was trained on the gold data: the training files`,
      ),
    );
    expect((await registry.get(candidate)).lastGate).toMatchObject({
      outcome: "refused",
      seen: { candidate: null },
    });
    expect((await registry.promote(candidate, { gold: SAMPLE_CONTENT, force: true })).forced).toBe(
      true,
    );
  });

  it("says why a candidate's training data cannot be read to tell: a file there but no longer valid is not called moved", async () => {
    const data = join(work, "broken-after-training.json");
    await writeFile(data, await readFile(SAMPLE_CONTENT, "utf8"));
    const registry = fresh();
    await registry.promote((await registry.register(models.random as string)).version.id);
    const candidate = (await registry.register(await train("knn-broken", "knn", 42, [data])))
      .version.id;
    await writeFile(data, "[{");
    const refused = await registry.promote(candidate, { gold: SAMPLE_CONTENT }).catch((e) => e);
    expect(refused).toBeInstanceOf(GateRefusedError);
    expect(refused.message).toContain(`could not be read (${data}`);
    expect(refused.message).not.toContain("moved or deleted");
  });

  it("promotes and rolls back though a model card cannot be rewritten, saying so: the switch has happened", async () => {
    const registry = fresh();
    const first = (await registry.register(models.random as string)).version;
    await registry.promote(first.id);
    const second = (await registry.register(models.random1 as string)).version;
    // A directory where the card goes stands in for a version directory made read-only (the tests run as root).
    const card = join(first.dir, CARD_FILE);
    await rm(card);
    await mkdir(card);
    const promoted = await registry.promote(second.id, { force: true });
    expect((await registry.production())?.id).toBe(second.id);
    expect(promoted.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^the model card ${card} was not updated \\(EISDIR.*tagsmith models card ${first.id}`,
        ),
      ),
    ]);
    const rolledBack = await registry.rollback();
    expect((await registry.production())?.id).toBe(first.id);
    expect(rolledBack.warnings).toHaveLength(1);
    // The card as it stands is still rendered on demand.
    expect(await registry.card(first.id)).toContain(first.id);
  });

  it("refuses two gold files holding the same items, a copy under another name", async () => {
    const copy = join(work, "gold-copy.json");
    await writeFile(copy, await readFile(SAMPLE_CONTENT, "utf8"));
    const registry = fresh();
    const random = (await registry.register(models.random as string)).version.id;
    const rules = (await registry.register(models.rules as string)).version.id;
    await registry.promote(random);
    const message = `gold files ${SAMPLE_CONTENT} and ${copy} hold the same items: give them once, or the gate scores every item twice`;
    await expect(registry.promote(rules, { gold: [SAMPLE_CONTENT, copy] })).rejects.toThrow(
      message,
    );
    await expect(registry.setGold([SAMPLE_CONTENT, copy])).rejects.toThrow(message);
    expect((await stateOf(registry)).production).toBe(random);
  });

  it("refuses the same gold file given twice, in any spelling, before anything changes", async () => {
    const registry = fresh();
    const rules = (await registry.register(models.rules as string)).version.id;
    const before = await stateOf(registry);
    const again = relative(process.cwd(), SAMPLE_CONTENT);
    const twice = `gold file ${SAMPLE_CONTENT} is given twice (as ${SAMPLE_CONTENT} and ${again}): its items would be scored twice; give each file once`;
    const promote = await registry
      .promote(rules, { gold: [SAMPLE_CONTENT, again] })
      .catch((e) => e);
    expect(promote).toBeInstanceOf(TagsmithError);
    expect(promote.code).toBe("usage");
    expect(promote.message).toBe(twice);
    await expect(registry.setGold([SAMPLE_CONTENT, again])).rejects.toThrow(twice);
    await expect(registry.setGold([SAMPLE_CONTENT, SAMPLE_CONTENT])).rejects.toThrow(
      `gold file ${SAMPLE_CONTENT} is given twice: its items`,
    );
    expect(await stateOf(registry)).toEqual(before);
  });

  it("never promotes or rolls back to a damaged version, and leaves the pointer where it was", async () => {
    const registry = fresh();
    const rules = (await registry.register(models.rules as string)).version.id;
    const random = (await registry.register(models.random as string)).version.id;
    await registry.promote(rules);
    const file = join(registry.dir, VERSIONS_DIR, random, "model.bin");
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(file, bytes);
    await expect(registry.verify(await registry.get(random))).rejects.toThrow(
      /is damaged: model\.bin does not match the checksum/,
    );
    await expect(registry.promote(random, { force: true })).rejects.toThrow(/is damaged/);
    expect((await stateOf(registry)).production).toBe(rules);
  });

  it("refuses a model directory as the registry, an empty id, and a production pointer to no version", async () => {
    const modelDir = models.rules as string;
    await expect(new ModelRegistry(modelDir).list()).rejects.toThrow(
      `registry ${modelDir} is a model directory (tagsmith train --out writes those), not a registry`,
    );
    const registry = fresh();
    const rules = (await registry.register(models.rules as string)).version.id;
    await expect(registry.get("")).rejects.toThrow("the version id is empty");
    const stateFile = join(registry.dir, "registry.json");
    const state = JSON.parse(await readFile(stateFile, "utf8"));
    await writeFile(stateFile, JSON.stringify({ ...state, production: "m-000000000000" }));
    await expect(registry.list()).rejects.toThrow(
      `registry.json names m-000000000000 as production, but no such version is registered (the file was edited or restored from another registry): restore it, or set production to one of: ${rules}`,
    );
  });

  it("refuses a registry.json whose version ids are not ids, as one joined into a path could leave the registry", async () => {
    const registry = fresh();
    await registry.register(models.rules as string);
    const stateFile = join(registry.dir, "registry.json");
    const state = JSON.parse(await readFile(stateFile, "utf8"));
    const [record] = Object.values(state.versions);
    await writeFile(
      stateFile,
      JSON.stringify({ ...state, versions: { "../../elsewhere": record } }),
    );
    await expect(registry.list()).rejects.toThrow(
      `${stateFile}: not a tagsmith registry file: versions["../../elsewhere"]: invalid key: a version id is "m-" and 12 hex digits (as models list shows them)`,
    );
  });

  it("keeps the fields of a model's manifest it does not know, at any depth, in the version's", async () => {
    const dir = await train("rules-newer-manifest", "rules");
    const file = join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(file, "utf8"));
    manifest.addedLater = { by: "a newer tagsmith" };
    manifest.data.addedLater = 1;
    await writeFile(file, JSON.stringify(manifest));
    const registry = fresh();
    const { version } = await registry.register(dir);
    const stored = JSON.parse(
      await readFile(join(registry.dir, VERSIONS_DIR, version.id, "manifest.json"), "utf8"),
    );
    expect(stored.addedLater).toEqual({ by: "a newer tagsmith" });
    expect(stored.data.addedLater).toBe(1);
    expect((await registry.get(version.id)).manifest.data).toMatchObject({ addedLater: 1 });
  });

  it("names the field of a version manifest that was edited away", async () => {
    const registry = fresh();
    const rules = (await registry.register(models.rules as string)).version.id;
    const file = join(registry.dir, VERSIONS_DIR, rules, "manifest.json");
    const { registry: _, ...unregistered } = JSON.parse(await readFile(file, "utf8"));
    await writeFile(file, JSON.stringify(unregistered));
    await expect(registry.get(rules)).rejects.toThrow(
      `version ${rules} is damaged: manifest.json is not a version manifest (registry: expected object, received undefined): register the model again`,
    );
  });

  it("lists the other versions when one's manifest is missing or not JSON, and says what is wrong with each", async () => {
    const registry = fresh();
    const rules = (await registry.register(models.rules as string)).version.id;
    const random = (await registry.register(models.random as string)).version.id;
    const random2 = (await registry.register(models.random2 as string)).version.id;
    await registry.promote(rules);
    await writeFile(join(registry.dir, VERSIONS_DIR, rules, "manifest.json"), "{");
    await rm(join(registry.dir, VERSIONS_DIR, random2), { recursive: true });
    const random3 = (await registry.register(models.random3 as string)).version.id;
    await rm(join(registry.dir, VERSIONS_DIR, random3), { recursive: true });
    await writeFile(join(registry.dir, VERSIONS_DIR, random3), "a file in the way");
    const random4 = (await registry.register(models.random4 as string)).version.id;
    const loop = join(registry.dir, VERSIONS_DIR, random4, "manifest.json");
    await rm(loop);
    await symlink("manifest.json", loop);
    const {
      versions,
      damaged: [...damaged],
    } = await registry.list();
    expect(versions.map((v) => v.id)).toEqual([random]);
    const looped = damaged.splice(
      damaged.findIndex((d) => d.id === random4),
      1,
    );
    expect(looped[0]?.problem).toBe(
      `${loop}: version ${random4} is damaged: its manifest.json cannot be read (it is a link that leads back to itself): restore the version's directory, or register the model again`,
    );
    const inTheWay = damaged.findIndex((d) => d.id === random3);
    expect(damaged.splice(inTheWay, 1)).toEqual([
      {
        id: random3,
        stage: "candidate",
        problem: `${join(registry.dir, VERSIONS_DIR, random3, "manifest.json")}: version ${random3} is damaged: its manifest.json cannot be read (its version directory is a file): restore the version's directory, or register the model again`,
      },
    ]);
    expect(damaged).toEqual(
      [
        {
          id: rules,
          stage: "production",
          problem: `${join(registry.dir, VERSIONS_DIR, rules, "manifest.json")}: version ${rules} is damaged: manifest.json is not JSON: restore it, or register the model again`,
        },
        {
          id: random2,
          stage: "candidate",
          problem: `${join(registry.dir, VERSIONS_DIR, random2, "manifest.json")}: version ${random2} is missing from ${registry.dir} (its directory or manifest.json was removed)`,
        },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it("promotes with --force past a production model that cannot be loaded, recording why it was not compared", async () => {
    for (const gold of [undefined, SAMPLE_CONTENT]) {
      const registry = fresh();
      const rules = (await registry.register(models.rules as string)).version.id;
      const random = (await registry.register(models.random as string)).version.id;
      await registry.promote(rules);
      await rm(join(registry.dir, VERSIONS_DIR, rules, "model.bin"));

      const refused = await registry.promote(random, { gold }).catch((e) => e);
      expect(refused).toBeInstanceOf(TagsmithError);
      expect(refused.message).toMatch(
        /model\.bin missing\. The gate cannot score the production model: restore it, or promote with --force$/,
      );
      expect((await stateOf(registry)).production).toBe(rules);

      const forced = await registry.promote(random, { gold, force: true });
      expect(forced).toMatchObject({ id: random, previous: rules, forced: true });
      expect(forced.gateSkipped).toMatch(
        new RegExp(`^production ${rules} could not be loaded \\(.*model\\.bin missing\\)$`),
      );
      // With gold data the candidate is still scored, alone, as if there were no production model.
      expect(forced.gate?.production ?? null).toBeNull();
      expect(forced.gate === null).toBe(gold === undefined);
      expect((await stateOf(registry)).production).toBe(random);
      const promoted = await registry.get(random);
      expect(promoted.history.at(-1)).toMatchObject({
        action: "promote",
        stage: "production",
        forced: true,
        gateSkipped: forced.gateSkipped,
      });
      expect(await readFile(join(promoted.dir, CARD_FILE), "utf8")).toContain(
        `not compared with production: ${forced.gateSkipped}`,
      );
    }
  });
});

describe("an unwritable registry", () => {
  it("is one clear error before any work", async () => {
    const file = join(work, "a-file");
    await writeFile(file, "not a directory");
    const registry = new ModelRegistry(join(file, "models"));
    const error = await registry.register(models.rules as string).catch((e) => e);
    expect(error).toBeInstanceOf(TagsmithError);
    expect(error.code).toBe("not_writable");
    expect(error.message).toMatch(/registry directory .*a-file\/models is not writable \(ENOTDIR/);
  });
});

describe("a registry path that is a file", () => {
  it("is refused when read, rather than read as an empty registry", async () => {
    const file = join(work, "registry-file");
    await writeFile(file, "not a directory");
    for (const dir of [file, join(file, "models")]) {
      const registry = new ModelRegistry(dir);
      for (const read of [
        () => registry.list(),
        () => registry.readState(),
        () => registry.checkPath(),
      ]) {
        const error = await read().catch((e) => e);
        expect(error).toBeInstanceOf(TagsmithError);
        expect(error.message).toBe(
          `registry ${dir} is not a directory (it, or a part of its path, is a file): give the registry's directory with --registry DIR or TAGSMITH_REGISTRY`,
        );
      }
    }
  });

  it("is not confused with an absent registry, which is empty", async () => {
    const registry = new ModelRegistry(join(work, "no-registry-here"));
    await registry.checkPath();
    expect(await registry.list()).toEqual({ versions: [], damaged: [] });
  });
});
