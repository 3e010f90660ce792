#!/usr/bin/env node
// The tagsmith command line: a thin layer over the pipeline's functions.

import { Command, CommanderError } from "commander";
import { benchmarkCommand } from "./benchmark.js";
import { packageVersion } from "./code-version.js";
import { noteUnusedStore } from "./content-store.js";
import { dataCommand } from "./data.js";
import { metricsCommand } from "./metrics.js";
import { evalCommand, suggestCommand, trainCommand } from "./model.js";
import { modelsCommand } from "./models.js";
import { collect } from "./options.js";
import { EXIT } from "./run.js";
import { serveCommand } from "./serve.js";
import { taxonomyCommand } from "./taxonomy.js";

const version = packageVersion();

// A reader that stops early (`tagsmith suggest ... | head -1`) closes the pipe: the rest of the output is not
// wanted, which ends the command; left unhandled, the write's error was a stack trace. It ends with the command's own
// status once the command has one (a report's findings are still exit 1: `data validate ... | head` in a pipefail
// script must not pass), hence after the pending callbacks; a command still working, as suggest reading its next
// line, has none and ends 0. The same for stderr (`2>&1 | head`), whose messages then reach no one either.
let readerGone = false;
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (readerGone) return;
    if (error.code !== "EPIPE") throw error;
    readerGone = true;
    setImmediate(() => process.exit());
  });

const program = new Command("tagsmith")
  .description("suggests approved tags for machine-learning content")
  .version(version)
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => write(`tagsmith: ${text.replace(/^error: /, "")}`),
  })
  .addCommand(dataCommand())
  .addCommand(trainCommand(version))
  .addCommand(evalCommand())
  .addCommand(suggestCommand())
  .addCommand(benchmarkCommand())
  .addCommand(modelsCommand(version))
  .addCommand(taxonomyCommand());
program.addCommand(serveCommand(version));
program.addCommand(metricsCommand());

/**
 * An option of one value given twice would silently keep the last (`eval --data gold.json --data qa.json` scoring
 * qa.json alone): refused, naming both. Options that take several (variadic, or collected) are left alone.
 */
const refuseRepeats = (command: Command) => {
  for (const option of command.options) {
    if (option.variadic || option.parseArg === collect || !(option.required || option.optional))
      continue;
    const given: Array<string | undefined> = [];
    command.on(`option:${option.name()}`, (value: string | undefined) => {
      given.push(value);
      if (given.length < 2) return;
      // An optional value may be left out ("--report" alone): then only the option is named.
      const values = given.every((v) => v !== undefined) ? ` ("${given[0]}", then "${value}")` : "";
      command.error(`${option.long} was given twice${values}: it takes one value, give it once`, {
        exitCode: 2,
        code: "tagsmith.repeatedOption",
      });
    });
  }
};

// Commander applies exitOverride and configureOutput per command: pass them down to subcommands.
const inherit = (command: Command) => {
  for (const sub of command.commands) {
    sub
      .exitOverride()
      .configureOutput(program.configureOutput())
      .showHelpAfterError("(run with --help for usage)");
    refuseRepeats(sub);
    if (sub.options.some((option) => option.long === "--store"))
      sub.hook("preAction", noteUnusedStore);
    inherit(sub);
  }
};
inherit(program);

try {
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // help and version exit 0; usage mistakes exit 2, like every other bad input
  process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
}
