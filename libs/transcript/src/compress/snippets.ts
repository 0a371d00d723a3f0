// Reusable pieces worth recalling on their own: the command that fixed a problem, the lesson of a
// problem with a known cause, a configuration file written, the line an edit fixed, a decision.
import type { Snippet } from "../compressed-session";
import type { CompressContext } from "./compress-context";
import { showPath } from "./compress-context";
import type { FoundDecision } from "./decisions";
import { fileTouch } from "./files";
import type { FoundProblem } from "./problems";
import { displayCommand, isRoutine } from "./shell-command";
import { shorten } from "./text-tools";
import { bashCommand, filePathOf } from "./timeline";

const CONFIG_FILE =
  /(\.(ya?ml|toml|ini|conf|cfg|json|service|timer|socket|properties|xml|nginx)$|(^|\/)(Dockerfile|docker-compose[\w.-]*|Makefile|Caddyfile|nginx\.conf|sites-(available|enabled)\/[^/]+|\.gitignore|crontab)$)/i;
const SECRET_FILE = /(^|\/)(\.env(\.\w+)?|.*\.(pem|key|p12|pfx|kdbx)|id_(rsa|ed25519|ecdsa)|\.htpasswd|shadow|credentials(\.json)?)$/i;

function firstLines(text: string, lines: number, max: number): string {
  return shorten(text.split("\n").slice(0, lines).join("\n"), max);
}

export function collectSnippets(
  context: CompressContext,
  problems: readonly FoundProblem[],
  decisions: readonly FoundDecision[],
): Snippet[] {
  const snippets: Snippet[] = [];
  const problemTitle = (problem: FoundProblem) => shorten(problem.problem.replace(/^reported: /, ""), 100);
  // Only fixes that were verified are worth recalling as recipes.
  for (const problem of problems) {
    const fix = problem.fixAction;
    if (!fix || !problem.resolved) continue;
    const command = bashCommand(fix);
    if (command !== undefined && !isRoutine(command)) {
      snippets.push({ category: "command", title: `Fix: ${problemTitle(problem)}`, content: displayCommand(context.redact(command), 600) });
    } else if ((fix.call.name === "Edit" || fix.call.name === "MultiEdit") && problem.fix) {
      snippets.push({
        category: "pattern",
        title: `Fix in ${shorten(context.redact(showPath(filePathOf(fix) ?? "file", context)), 80)}`,
        content: problem.fix,
      });
    }
    if (problem.cause) {
      const content = [
        `Problem: ${problem.problem}`,
        `Cause: ${problem.cause}`,
        `Fix: ${problem.fix ?? "?"}`,
        problem.verify ? `Verify: ${problem.verify}` : "",
      ]
        .filter(Boolean)
        .join("\n");
      snippets.push({ category: "lesson_learned", title: problemTitle(problem), content });
    }
  }
  const configs = new Map<string, Snippet>();
  for (const action of context.timeline.actions) {
    const touch = fileTouch(action);
    if (!touch || action.call.name !== "Write" || !CONFIG_FILE.test(touch.path) || SECRET_FILE.test(touch.path)) continue;
    const content = action.call.input["content"];
    if (typeof content !== "string" || content.trim() === "") continue;
    const path = context.redact(showPath(touch.path, context));
    configs.set(touch.path, { category: "configuration", title: path, content: firstLines(context.redact(content), 25, 700) });
  }
  snippets.push(...[...configs.values()].slice(-6));
  for (const decision of decisions) {
    snippets.push({
      category: "tech_decision",
      title: shorten(`${decision.subject}: ${decision.decision}`, 100),
      content: decision.rationale ? `${decision.decision}\nWhy: ${decision.rationale}` : decision.decision,
    });
  }
  return snippets;
}
