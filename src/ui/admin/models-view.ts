// The model versions: stage, held-out scores, the last registry change and the gate's verdict; the production
// version stands out, since it is the one answering authors now.

import type { DamagedVersion, ModelVersion } from "./admin-types.js";
import { type ConsoleContext, type ConsoleSection, showLoadFailure } from "./console-context.js";
import { formatCount, formatScore, formatWhen, NONE } from "./figures.js";
import { changeAction, gateVerdict } from "./model-verdicts.js";
import { byId, element, showStatus, tableNote, tableRow } from "./nodes.js";

export class ModelsView implements ConsoleSection {
  private loaded = false;
  private readonly body = byId<HTMLTableElement>("models-table").tBodies[0];
  private readonly status = byId("models-status");
  private readonly registry = byId("models-registry");

  constructor(private readonly context: ConsoleContext) {
    byId("models-refresh").addEventListener("click", () => void this.load());
  }

  show(): void {
    if (!this.loaded) void this.load();
  }

  clear(): void {
    this.loaded = false;
    this.body.replaceChildren();
    this.registry.textContent = "";
    showStatus(this.status, "");
  }

  private async load(): Promise<void> {
    this.loaded = true;
    showStatus(this.status, "Loading…");
    try {
      const { registry, versions, damaged } = await this.context.api().models();
      showStatus(this.status, "");
      this.registry.textContent = registry
        ? `Registry: ${registry}`
        : "This service serves one model directory, not a registry: there are no versions to list.";
      if (versions.length + damaged.length === 0) tableNote(this.body, 9, "No model versions.");
      else this.body.replaceChildren(...versions.map(versionRow), ...damaged.map(damagedRow));
    } catch (error) {
      this.loaded = false;
      showLoadFailure(this.status, error, "The model versions");
    }
  }
}

function versionRow(version: ModelVersion): HTMLTableRowElement {
  const verdict = gateVerdict(version.last_gate);
  const gate = element("span", `gate ${verdict.kind}`, verdict.text);
  const change = version.last_change
    ? `${changeAction(version.last_change)} · ${formatWhen(version.last_change.at)}`
    : NONE;
  const row = tableRow(
    [
      version.id,
      stageBadge(version.stage),
      version.tagger,
      formatCount(version.data_items),
      formatScore(version.held_out?.suggested_f1),
      formatScore(version.held_out?.recall_at_5),
      formatWhen(version.registered_at),
      change,
      gate,
    ],
    1,
    [3, 4, 5],
  );
  markStage(row, version.stage);
  return row;
}

/** The stage as the table shows it, in every row. */
const stageBadge = (stage: ModelVersion["stage"]) => element("span", `stage ${stage}`, stage);

/** The row's stage, for styles and tests; production, what answers authors now, stands out, damaged or not. */
function markStage(row: HTMLTableRowElement, stage: ModelVersion["stage"]): void {
  row.dataset.stage = stage;
  if (stage === "production") {
    row.classList.add("production");
    row.setAttribute("aria-current", "true");
  }
}

/** A version whose directory cannot be read: its id and stage, and what is wrong across the other columns. */
function damagedRow(version: DamagedVersion): HTMLTableRowElement {
  const problem = element("td", "damaged", version.problem);
  problem.colSpan = 7;
  const row = tableRow([version.id, stageBadge(version.stage)], 1);
  row.append(problem);
  markStage(row, version.stage);
  row.dataset.damaged = "true";
  return row;
}
