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

/** The sections and settled values a file holds the most of, kept as a file's role. */
const maxRoleParts = 8;

/**
 * What a configuration file is, in one line rather than its body: its size, its top-level
 * sections (YAML and TOML keys, INI sections, JSON keys) and the settled values in it (images,
 * versions, ports, paths, hosts: values with a digit, a dot or a slash), e.g. "16 lines; sections
 * services, volumes; values postgres:16-alpine, ghcr.io/acme/billing:2.4.1, 8443:8443".
 */
export function fileRole(content: string): string {
  const lines = content.split("\n").filter((line) => line.trim() !== "" && !/^\s*(#|\/\/|;)/.test(line));
  const sections = new Set<string>();
  const values = new Set<string>();
  for (const line of lines) {
    const section = /^\[([^\]]{1,60})\]|^"?([A-Za-z_][\w.-]{0,60})"?\s*[:=]/.exec(line);
    if (section && sections.size < maxRoleParts) sections.add((section[1] ?? section[2]) as string);
    const value = /(?:[:=]|^\s*-)\s*["']?([^\s"'#,{}[\]]{3,120})["']?\s*,?\s*$/.exec(line)?.[1];
    if (value && /[\d./]/.test(value) && !/^(true|false|null|yes|no)$/i.test(value) && values.size < maxRoleParts) values.add(value);
  }
  const parts = [`${lines.length} line${lines.length === 1 ? "" : "s"}`];
  if (sections.size > 0) parts.push(`sections ${[...sections].join(", ")}`);
  if (values.size > 0) parts.push(`values ${[...values].join(", ")}`);
  return shorten(parts.join("; "), 400);
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
    configs.set(touch.path, { category: "configuration", title: path, content: `wrote ${path}: ${fileRole(context.redact(content))}` });
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
