// Approaches that were tried and dropped, so the next session does not repeat them: failures
// never fixed after which the assistant moved to another approach, and actions the user refused
// with a correction ("why create flask, use docker only").
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import { isContinuation } from "./goals";
import type { FoundProblem } from "./problems";
import { describeAction } from "./problems";
import { dedupeKey, sentences, shorten, uniqueBy } from "./text-tools";

const ABANDON =
  /\b(different approach|another approach|alternative|instead|workaround|give up|gave up|abandon|doesn't work|does not work|didn't work|not working|isn't working|won't work|still (not|failing|missing)|not possible|no luck|try (a|another|something) (different|else))\b|换一种|另一种|改用|行不通|不行/i;
const CORRECTION = /^(no|nope|don'?t|do not|dont|stop|why|instead|not |never|wrong|we will not|we won't|use )|不要|别|为什么|不是/i;

/**
 * Why a tool call was refused, in a few words: the permission classifier's stated reason, else
 * "by the user" or "permission denied", else the result's first line; undefined when it is empty.
 */
export function refusalReason(resultText: string): string | undefined {
  const stated = /\bReason:\s*([^.\n]+)/.exec(resultText)?.[1]?.trim();
  if (stated) return shorten(stated, 140);
  if (/doesn't want to proceed|rejected by the user|user (rejected|declined)/i.test(resultText)) return "by the user";
  if (/\bdenied\b/i.test(resultText)) return "permission denied";
  const first = resultText.split("\n").find((line) => line.trim() !== "");
  return first === undefined ? undefined : shorten(first, 120);
}

export function collectDeadEnds(context: CompressContext, problems: readonly FoundProblem[]): string[] {
  const { steps, sidechainOnly } = context.timeline;
  const deadEnds: string[] = [];
  for (const problem of problems) {
    if (problem.resolved) continue;
    for (let index = problem.step + 1; index < steps.length && index <= problem.step + 12; index += 1) {
      const step = steps[index];
      if (!step || step.kind === "prompt") break;
      if (step.kind !== "say" || (step.event.isSidechain && !sidechainOnly)) continue;
      const moved = sentences(step.text).find((sentence) => ABANDON.test(sentence));
      if (moved) {
        deadEnds.push(shorten(`${problem.problem} — then: ${relativize(context.redact(moved), context)}`, 260));
        break;
      }
    }
  }
  steps.forEach((step, index) => {
    if (step.kind !== "action" || step.action.outcome !== "rejected") return;
    for (let next = index + 1; next < steps.length && next <= index + 4; next += 1) {
      const following = steps[next];
      if (following?.kind === "action") break;
      if (following?.kind === "prompt") {
        const prompt = following.text.split("\n")[0] ?? "";
        if (!isContinuation(prompt) && CORRECTION.test(prompt.trim())) {
          const said = shorten(context.redact(prompt.replace(/\s*(ultra)?think( harder| hard)?\s*\\?$/i, "")), 140);
          deadEnds.push(shorten(`user refused ${describeAction(step.action, context)}: "${said}"`, 260));
          return;
        }
        break;
      }
    }
    // Refused without a correction: still an approach not to take again, with the refusal's reason.
    const reason = refusalReason(step.action.result?.text ?? "");
    deadEnds.push(shorten(`refused: ${describeAction(step.action, context)}${reason ? ` (${context.redact(reason)})` : ""}`, 260));
  });
  return uniqueBy(deadEnds, (text) => dedupeKey(text).slice(0, 80));
}
