// Reusable pieces worth recalling on their own: the command that fixed a problem, the lesson of a
// problem with a known cause, a configuration file or script written (what it is for, never its
// body), the line an edit fixed, a decision.
import type { Snippet } from "../compressed-session";
import type { CompressContext } from "./compress-context";
import { showPath } from "./compress-context";
import type { FoundDecision } from "./decisions";
import type { FilePurpose } from "./file-purpose";
import { SECRET_FILE, writtenPurpose } from "./file-purpose";
import { isMinorFile } from "./files";
import type { FoundProblem } from "./problems";
import { displayCommand, isRoutine } from "./shell-command";
import { shorten } from "./text-tools";
import { bashCommand, filePathOf } from "./timeline";

const CONFIG_FILE =
  /(\.(ya?ml|toml|ini|conf|cfg|json|service|timer|socket|properties|xml|nginx)$|(^|\/)(Dockerfile|docker-compose[\w.-]*|Makefile|Caddyfile|nginx\.conf|sites-(available|enabled)\/[^/]+|\.gitignore|crontab)$)/i;
/** Scripts: kept as command snippets, since running them is how they are reused. */
const SCRIPT_FILE = /\.(sh|bash|zsh|ps1|psm1|bat|cmd)$/i;
/** At most this many files of each kind (configuration, scripts) become snippets: the latest. */
const maxFileSnippets = 6;
/** A file snippet may say more than the summary's purpose line: it is read on its own. */
const maxFileSnippetChars = 400;

/** A file written whole as a snippet: configuration and scripts (not tests or demos), never a secret store. */
function fileSnippet(file: FilePurpose): Snippet | undefined {
  if (file.content === undefined || file.content.trim() === "" || SECRET_FILE.test(file.path)) return undefined;
  const script = SCRIPT_FILE.test(file.path) || (!/\.\w+$/.test(file.path.split("/").pop() ?? "") && /^#!/.test(file.content));
  if (!CONFIG_FILE.test(file.path) && !(script && !isMinorFile(file.path))) return undefined;
  const purpose = writtenPurpose(file.path, file.content, file.said, maxFileSnippetChars);
  const title = `${file.created ? "created" : "changed"} ${file.path}`;
  return { category: CONFIG_FILE.test(file.path) ? "configuration" : "command", title, content: purpose ? `${title}: ${purpose}` : title };
}

export function collectSnippets(
  context: CompressContext,
  problems: readonly FoundProblem[],
  decisions: readonly FoundDecision[],
  purposes: ReadonlyMap<string, FilePurpose>,
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
  const fileSnippets = [...purposes.values()].map(fileSnippet).filter((snippet): snippet is Snippet => snippet !== undefined);
  snippets.push(...fileSnippets.filter((snippet) => snippet.category === "configuration").slice(-maxFileSnippets));
  snippets.push(...fileSnippets.filter((snippet) => snippet.category === "command").slice(-maxFileSnippets));
  for (const decision of decisions) {
    snippets.push({
      category: "tech_decision",
      title: shorten(`${decision.subject}: ${decision.decision}`, 100),
      content: decision.rationale ? `${decision.decision}\nWhy: ${decision.rationale}` : decision.decision,
    });
  }
  return snippets;
}
