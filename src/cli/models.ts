// `tagsmith models ...`: register, list, show, promote, rollback, reproduce, card and config, over registry/.

import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Command, Option } from "commander";
import { TagsmithError } from "../errors.js";
import { checkOutFiles, writeFileAtomic } from "../files/index.js";
import { overlayFilesOf } from "../model/index.js";
import {
  candidateSawGold,
  DEFAULT_REGISTRY_DIR,
  type GateRecord,
  GateRefusedError,
  gateGoldFiles,
  gateObjections,
  goldFiles,
  ModelRegistry,
  type ModelVersion,
  objectedOutcome,
  PRIMARY_METRICS,
  reproduce,
  SECONDARY_METRICS,
  versionsSummary,
} from "../registry/index.js";
import { gitCommit } from "./code-version.js";
import { collect, workerCount } from "./options.js";
import { terminalProgress } from "./progress.js";
import { action, EXIT, printJson } from "./run.js";
import { visible } from "./terminal-text.js";

/** --registry DIR, else $TAGSMITH_REGISTRY, else ./models. */
export function registryOption(): Option {
  return new Option("--registry <dir>", "model registry directory")
    .env("TAGSMITH_REGISTRY")
    .default(DEFAULT_REGISTRY_DIR);
}

/** A test-only pause inside promote's critical section, so a test can kill a promote there. */
const PAUSE_ENV = "TAGSMITH_TEST_PAUSE_PROMOTE";

/** The version as one JSON object: its manifest with its stage and history. */
export function versionJson(version: ModelVersion) {
  return {
    ...version.manifest,
    stage: version.stage,
    history: version.history,
    last_gate: version.lastGate,
  };
}

const shortFingerprint = (fp: string) => fp.replace(/^sha256:/, "").slice(0, 12);
const minute = (iso: string | undefined) => (iso ? `${iso.slice(0, 16).replace("T", " ")}Z` : "-");

function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Candidate and production side by side; primary metrics marked, the worse ones flagged. */
export function renderGate(id: string, gate: GateRecord): string {
  const production = gate.production;
  const rows = [
    [
      "metric",
      `candidate ${id}`,
      ...(production ? [`production ${production.id}`, ""] : ["no production model"]),
    ],
  ];
  for (const m of PRIMARY_METRICS) {
    const worse = gate.worse.includes(m.label);
    rows.push([
      `${m.label} *`,
      String(gate.candidate[m.key]),
      ...(production ? [String(production.scores[m.key]), worse ? "WORSE" : "ok"] : [""]),
    ]);
  }
  for (const m of SECONDARY_METRICS) {
    rows.push([
      m.label,
      String(gate.candidate[m.key]),
      ...(production ? [String(production.scores[m.key]), ""] : [""]),
    ]);
  }
  return (
    `gate on ${gateGoldFiles(gate).join(" + ")} (${gate.gold.items} items, ${gate.candidate.n_docs} with approved tags)\n` +
    `${columns(rows)}\n* primary: the candidate must not be worse on it\n${approvedNote(gate)}${trainedOnNote(id, gate)}`
  );
}

/** When the models approve different tags: both were scored on the gold labels of every tag either approves. */
function approvedNote(gate: GateRecord): string {
  const approved = gate.gold.approved;
  if (!approved) return "";
  return `note: the models approve different tags (${approved.candidateOnly} only the candidate, ${approved.productionOnly} only production): both are scored on the gold labels of all of them, so a tag a model cannot suggest counts as missed\n`;
}

/** What registering a model did, in one line: registered, already there, or a damaged copy of it replaced. */
export function registeredLine(
  result: Awaited<ReturnType<ModelRegistry["register"]>>,
  dir: string,
): string {
  const { id, stage } = result.version;
  if (result.repaired !== undefined)
    return `repaired ${id} (${stage}) in ${dir}: its copy there was damaged (${result.repaired}) and is replaced; its stage and history are kept\n`;
  if (result.created) return `registered ${id} (${stage}) in ${dir}\n`;
  const other = result.otherData
    ? `; it was registered from other data (${result.otherData.files.join(", ")}), and its manifest, which the registry keeps, names that data: the same model bytes, whatever data they came from\n`
    : "\n";
  return `${id} is already registered (${stage}) in ${dir}${other}`;
}

/** Warnings of a change that happened all the same (a model card not rewritten), on stderr. */
function warnAll(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`tagsmith: warning: ${visible(warning)}\n`);
}

/**
 * A warning when a model was trained on gold items: its scores there are not held out, so the gate favours it (a
 * production model trained on all of projects.json scores 0.9 F1 on its newest 15%, any honest candidate about 0.6).
 */
function trainedOnNote(id: string, gate: GateRecord): string {
  const seen = gate.trainedOnGold;
  if (!seen) return "";
  const models = [
    { name: `candidate ${id}`, items: seen.candidate, unreadable: seen.candidateUnreadable },
  ];
  if (gate.production)
    models.push({
      name: `production ${gate.production.id}`,
      items: seen.production,
      unreadable: seen.productionUnreadable,
    });
  const saw = models.filter((m) => m.items !== null && m.items > 0);
  // A count unknown (training files moved since) is said: the gate refuses a candidate it cannot check, and counts
  // an unchecked production model as having seen none.
  const unknown = models.filter((m) => m.items === null);
  const lines = [];
  if (saw.length > 0) {
    const which = saw.map((m) => `${m.items} in the training data of ${m.name}`).join(", ");
    lines.push(
      `warning: of the ${gate.gold.items} gold items, ${which}: scores on them are not held out, so the gate favours the model that saw them; gate on data neither model was trained on`,
    );
  }
  for (const model of unknown)
    lines.push(
      `warning: the training data of ${model.name} could not be read (${model.unreadable ?? "moved or deleted since, or not listed by an older manifest"}): whether it saw the gold items is unknown`,
    );
  return lines.map((line) => `${line}\n`).join("");
}

/** The gate's last verdict in words, a refusal included (it changed no stage, so the history does not show it). */
function lastGateLine(gate: ModelVersion["lastGate"]): string {
  if (!gate) return "not run";
  const against = gate.production ? ` against ${gate.production}` : "";
  const objections = gateObjections(gate.worse, gate.seen);
  if (objections.length === 0) return `passed${against} (${gate.at})`;
  return `${objections.join("; ")}${against}: ${objectedOutcome(gate.outcome)} (${gate.at})`;
}

function describe(version: ModelVersion): string {
  const m = version.manifest;
  const h = m.registry.heldOut;
  const lines = [
    `${version.id}  ${m.kind}  ${version.stage}`,
    `directory: ${version.dir}`,
    `created: ${m.createdAt ?? "not recorded"}; registered: ${m.registry.registeredAt} from ${m.registry.source}`,
    `code: tagsmith ${m.code?.version ?? m.tagsmithVersion}${m.code?.commit ? ` commit ${m.code.commit}` : ""}`,
    `data: ${m.data.items} items, fingerprint ${m.data.fingerprint}`,
    ...(m.data.sources ?? []).map((s) => `  ${s.path} (${s.items} items, ${s.fingerprint})`),
    `taxonomy: ${m.taxonomy.tags} tags from ${m.taxonomy.path ?? m.taxonomy.file ?? "the labels in the data"}${overlayFilesOf(
      m.taxonomy,
    )
      .map((o) => ` + ${o}`)
      .join("")}, ${m.taxonomy.fingerprint}`,
    `config: ${JSON.stringify(m.config)}; seed ${m.seed}`,
    `model.bin: ${m.modelBytes} bytes, sha256 ${m.modelSha256}`,
    h
      ? `held out (${h.items} items, ${h.split} split): suggested P ${h.precision} R ${h.recall} F1 ${h.suggested_f1}, recall@5 ${h.recall_at_5}, NDCG@5 ${h.ndcg_at_5}`
      : "held out: no metrics recorded",
    `last gate: ${lastGateLine(version.lastGate)}`,
    "history:",
    ...version.history.map(
      (c) =>
        `  ${c.at}  ${c.action.padEnd(8)} ${c.from ? `${c.from} -> ` : ""}${c.stage}${c.forced ? "  (--force)" : ""}${c.gateSkipped ? `  (not compared: ${c.gateSkipped})` : ""}${c.other ? `  (${c.action === "register" ? "" : c.stage === "production" ? "replacing " : "replaced by "}${c.other})` : ""}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

export function modelsCommand(version: string): Command {
  const models = new Command("models").description(
    "the model registry: versions, promotion through the gate, rollback, reproduction, model cards",
  );
  const open = (opts: { registry: string }) => new ModelRegistry(opts.registry);
  /**
   * The registry of every command but register (which makes one). One the user named (--registry,
   * TAGSMITH_REGISTRY) must exist: a mistyped path would otherwise list no models and exit 0, or have config make a
   * registry there. The default ./models may be absent, an empty registry.
   */
  const existing = async (opts: { registry: string }, command: Command) => {
    const registry = open(opts);
    await registry.checkPath();
    const source = command.getOptionValueSource("registry");
    if (source !== "default" && !existsSync(registry.dir))
      throw new TagsmithError(
        "usage",
        `registry directory ${registry.dir} does not exist (${source === "env" ? "TAGSMITH_REGISTRY" : "--registry"}): check the path, or register a model there first (tagsmith train ... --register, or tagsmith models register DIR)`,
      );
    return registry;
  };

  models
    .command("register")
    .description("add a model directory (as tagsmith train --out writes it) as a candidate version")
    .argument("<dir>", "model directory")
    .addOption(registryOption())
    .option("--json", "print the version as JSON")
    .action(
      action(async (dir: string, opts) => {
        const registry = open(opts);
        const registered = await registry.register(dir);
        if (opts.json) printJson(versionJson(registered.version));
        else process.stdout.write(registeredLine(registered, registry.dir));
        return EXIT.ok;
      }),
    );

  models
    .command("list")
    .description("every version, newest first: id, created, stage, held-out F1 and recall@5, data")
    .addOption(registryOption())
    .option("--json", "print as JSON")
    .action(
      action(async (opts, command: Command) => {
        const registry = await existing(opts, command);
        const { versions, damaged } = await registry.list();
        for (const { stage, problem } of damaged)
          process.stderr.write(`tagsmith: warning: ${visible(problem)} (stage ${stage})\n`);
        if (opts.json) {
          // The admin API's shape (GET /v1/admin/models): a damaged version is listed under `damaged`, with what is
          // wrong, so a script looking for production finds it damaged rather than gone.
          printJson(versionsSummary(registry.dir, { versions, damaged }));
          return EXIT.ok;
        }
        if (versions.length === 0 && damaged.length === 0) {
          process.stdout.write(
            `no models registered in ${registry.dir} (tagsmith train ... --register, or tagsmith models register DIR)\n`,
          );
          return EXIT.ok;
        }
        const rows = [["id", "created", "stage", "tagger", "F1", "R@5", "data"]];
        for (const v of versions) {
          const h = v.manifest.registry.heldOut;
          rows.push([
            v.id,
            minute(v.manifest.createdAt ?? v.manifest.registry.registeredAt),
            v.stage,
            v.manifest.kind,
            h ? String(h.suggested_f1) : "-",
            h ? String(h.recall_at_5) : "-",
            shortFingerprint(v.manifest.data.fingerprint),
          ]);
        }
        for (const d of damaged) rows.push([d.id, "-", d.stage, "damaged", "-", "-", "-"]);
        process.stdout.write(
          `${columns(rows)}\nF1 and R@5: suggested F1 and recall@5 on the held-out items of each model's training data\n`,
        );
        return EXIT.ok;
      }),
    );

  models
    .command("show")
    .description("a version's manifest, stage and history; checks model.bin against its checksum")
    .argument("<id>", "version id (or an unambiguous prefix)")
    .addOption(registryOption())
    .option("--json", "print the manifest with stage and history as JSON")
    .action(
      action(async (id: string, opts, command: Command) => {
        const registry = await existing(opts, command);
        const found = await registry.get(id);
        await registry.verify(found);
        if (opts.json) printJson(versionJson(found));
        else process.stdout.write(describe(found));
        return EXIT.ok;
      }),
    );

  models
    .command("promote")
    .description(
      "make a version the production model if it is not worse than the current one on the gold data (suggested F1, recall@5)",
    )
    .argument("<id>", "version id (or an unambiguous prefix)")
    .addOption(registryOption())
    .option(
      "--gold <file>",
      "gold data for the gate, repeatable: several files are scored as one (e.g. the gold set and QA'd labels); default: the registry's, see models config",
      collect,
    )
    .option("--force", "promote even if the gate refuses (recorded in the history)")
    .action(
      action(async (id: string, opts, command: Command) => {
        const registry = await existing(opts, command);
        const pauseMs = Number(process.env[PAUSE_ENV] ?? 0);
        const beforeSwitch =
          pauseMs > 0
            ? async () => {
                process.stderr.write(`${PAUSE_ENV}: pausing ${pauseMs} ms holding the lock\n`);
                await sleep(pauseMs);
              }
            : undefined;
        try {
          const result = await registry.promote(id, {
            gold: opts.gold,
            force: opts.force,
            ...(beforeSwitch ? { beforeSwitch } : {}),
          });
          if (result.gate) process.stdout.write(renderGate(result.id, result.gate));
          if (result.unchanged) {
            process.stdout.write(`${result.id} already is the production model\n`);
            return EXIT.ok;
          }
          const objections = result.gate
            ? gateObjections(result.gate.worse, candidateSawGold(result.gate) ?? undefined)
            : [];
          // A production model that could not be loaded cannot be rolled back to either: no hint to try.
          const archived = result.gateSkipped
            ? `; ${result.previous} archived`
            : `; ${result.previous} archived (tagsmith models rollback puts it back)`;
          const forced = result.gateSkipped
            ? `; forced past the gate: ${result.gateSkipped}`
            : objections.length > 0
              ? `; forced past the gate (${objections.join("; ")})`
              : "";
          process.stdout.write(
            `promoted ${result.id} to production${result.previous ? archived : ""}${forced}${result.gate || result.gateSkipped ? "" : " without a gate: no gold data"}\n`,
          );
          warnAll(result.warnings);
          return EXIT.ok;
        } catch (error) {
          if (error instanceof GateRefusedError)
            process.stdout.write(renderGate(error.id, error.gate));
          throw error;
        }
      }),
    );

  models
    .command("rollback")
    .description("put the previous production version back; the current one is archived")
    .addOption(registryOption())
    .action(
      action(async (opts, command: Command) => {
        const { from, to, warnings } = await (await existing(opts, command)).rollback();
        process.stdout.write(
          `rolled back: ${to} is the production model again; ${from} archived\n`,
        );
        warnAll(warnings);
        return EXIT.ok;
      }),
    );

  models
    .command("reproduce")
    .description(
      "retrain a version from the data files, taxonomy, config and seed in its manifest; exit 1 unless model.bin is byte-identical",
    )
    .argument("<id>", "version id (or an unambiguous prefix)")
    .addOption(registryOption())
    .option("--workers <n>", "training threads", workerCount)
    .option("--json", "print the result as JSON")
    .action(
      action(async (id: string, opts, command: Command) => {
        const registry = await existing(opts, command);
        const bars = terminalProgress();
        const result = await reproduce(registry, id, {
          version,
          commit: gitCommit(),
          workers: opts.workers,
          ...(bars.progress ? { progress: bars.progress } : {}),
        }).finally(bars.stop);
        if (opts.json) printJson({ ...result, identical: true });
        else
          process.stdout.write(
            `reproduced ${result.id}: model.bin byte-identical (sha256 ${result.modelSha256}), retrained in ${result.seconds} s\n`,
          );
        return EXIT.ok;
      }),
    );

  models
    .command("card")
    .description(
      "a version's model card (Markdown): use, data, metrics overall, per tag and slice, weak tags, limits",
    )
    .argument("<id>", "version id (or an unambiguous prefix)")
    .addOption(registryOption())
    .option(
      "--out <file>",
      "write it to this file instead of printing it; a file already there only with --force",
    )
    .option("--force", "with --out: replace the file if it exists (never a file of the registry)")
    .action(
      action(async (id: string, opts, command: Command) => {
        const registry = await existing(opts, command);
        const card = await registry.card(id);
        if (opts.out) {
          const replace = Boolean(opts.force);
          await checkOutFiles([opts.out], {
            force: replace,
            reads: [{ dir: registry.dir, name: `registry ${registry.dir}` }],
          });
          await writeFileAtomic(opts.out, card, { replace });
          process.stderr.write(`model card: ${opts.out}\n`);
        } else process.stdout.write(card);
        return EXIT.ok;
      }),
    );

  models
    .command("config")
    .description(
      "the registry's settings: the gold data the promotion gate scores on. A --registry or TAGSMITH_REGISTRY that does not exist is refused, with or without a change; a change to the default ./models creates it",
    )
    .addOption(registryOption())
    .option(
      "--gold <file>",
      "gold data for the promotion gate, repeatable: several files are scored as one",
      collect,
    )
    .option(
      "--clear-gold",
      "no gold data: promote then needs --gold while a model is in production",
    )
    .option("--json", "print as JSON")
    .action(
      action(async (opts, command: Command) => {
        if (opts.gold && opts.clearGold)
          throw new TagsmithError(
            "usage",
            "--gold and --clear-gold contradict each other: give one",
          );
        const registry = await existing(opts, command);
        const state =
          opts.gold || opts.clearGold
            ? await registry.setGold(opts.clearGold ? null : opts.gold)
            : await registry.readState();
        const config = { registry: registry.dir, gold: state.gold, production: state.production };
        if (opts.json) printJson(config);
        else
          process.stdout.write(
            `registry: ${config.registry}\ngold: ${goldFiles(config.gold).join(" + ") || "(none: promote needs --gold)"}\nproduction: ${config.production ?? "(none)"}\n`,
          );
        return EXIT.ok;
      }),
    );

  return models;
}
