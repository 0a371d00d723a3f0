// The fault suite (`npm run test:faults`, tools/faults/run-faults.ts) runs some end-to-end specs
// with long settings (MSP_FAULTS_LONG=1) and prints one line of figures that they record here:
// one JSON file per spec in MSP_FAULTS_FIGURES_DIR. In a plain `npm test` neither is set: the
// specs run their short form and record nothing.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Whether the fault suite's long run asked for long settings. */
export const faultsLong = process.env["MSP_FAULTS_LONG"] === "1";

/** Figures of one spec, by name (numbers only, so that the summary can add them up). */
export type Figures = Record<string, number>;

/** Writes `figures` as `<name>.json` into MSP_FAULTS_FIGURES_DIR, when the fault suite set it. */
export function recordFigures(name: string, figures: Figures): void {
  const dir = process.env["MSP_FAULTS_FIGURES_DIR"];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}
