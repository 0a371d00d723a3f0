// What a file says about itself, read from its text without a model: its own words (a header
// comment, a docstring, a markdown title, a unit's Description=) and its outline (a Dockerfile's
// FROM and EXPOSE, a Makefile's targets, a package.json's scripts, SQL's CREATE TABLE names, the
// functions and classes a source file defines, a configuration's sections and settled values).
// Never the body itself: at most one line of the file, its header, is quoted.
import { oneLine } from "./text-tools";

export type FileKind =
  | "markdown"
  | "dockerfile"
  | "makefile"
  | "package-json"
  | "compose"
  | "systemd"
  | "sql"
  | "python"
  | "shell"
  | "javascript"
  | "go"
  | "rust"
  | "c-like"
  | "html"
  | "requirements"
  | "nginx"
  | "config"
  | "other";

const CONFIG_EXTENSION = /\.(ya?ml|toml|ini|conf|cfg|json|properties|xml|nginx|env\.example|tf|hcl)$/i;

/** The kind of a file, from its name first and its first line when the name says nothing. */
export function fileKind(path: string, content = ""): FileKind {
  const name = path.split("/").pop() ?? path;
  if (/\.(md|markdown|mdx|rst)$/i.test(name)) return "markdown";
  if (/^(Dockerfile|Containerfile)([.-][\w.-]+)?$|\.dockerfile$/i.test(name)) return "dockerfile";
  if (/^(GNUmakefile|Makefile|makefile)$|\.mk$/.test(name)) return "makefile";
  if (name === "package.json") return "package-json";
  if (/^(docker-)?compose[\w.-]*\.ya?ml$/i.test(name)) return "compose";
  if (/\.(service|timer|socket|mount|path|target)$/i.test(name)) return "systemd";
  if (/\.sql$/i.test(name)) return "sql";
  if (/\.(py|pyw)$/i.test(name)) return "python";
  if (/\.(sh|bash|zsh|ksh|fish)$/i.test(name)) return "shell";
  if (/\.(m?[jt]sx?|cjs|cts|mts)$/i.test(name)) return "javascript";
  if (/\.go$/i.test(name)) return "go";
  if (/\.rs$/i.test(name)) return "rust";
  if (/\.(c|h|cc|cpp|cxx|hpp|hh|java|kt|kts|swift|cs|php|scala|dart|groovy|gradle)$/i.test(name)) return "c-like";
  if (/\.html?$/i.test(name)) return "html";
  if (/^requirements[\w.-]*\.txt$/i.test(name)) return "requirements";
  if (/(^|\/)(nginx|sites-(available|enabled))\/|^nginx\.conf$|\.nginx$/.test(path) || /^\s*server\s*\{/m.test(content)) return "nginx";
  if (
    CONFIG_EXTENSION.test(name) ||
    /^(Caddyfile|crontab|\.gitignore|\.dockerignore|nginx\.conf)$/.test(name) ||
    /(^|\/)etc\/|(^|\/)(sites-(available|enabled)|conf\.d)\/[^/]+$/.test(path)
  )
    return "config";
  const shebang = /^#!.*/.exec(content)?.[0] ?? "";
  if (/python/.test(shebang)) return "python";
  if (/\b(ba|z|k|da)?sh\b/.test(shebang)) return "shell";
  if (/\bnode\b/.test(shebang)) return "javascript";
  return "other";
}

/** How many header lines a file's own words take at most. */
const maxHeaderLines = 2;
/** How many names an outline lists at most. */
const maxNames = 6;

/** A comment line that says nothing about what the file is for. */
const BOILERPLATE =
  /^(copyright|\(c\)|©|spdx|license|licensed|all rights reserved|author|@author|date:|created( on| by)?:|last modified|this file (was|is) (auto-?)?generated|do not edit|syntax=|vim?:|-\*-|shellcheck|eslint|prettier|@ts-|tslint|noqa|type: ?ignore|pylint|encoding|coding[:=]|#!|pragma|@flow|jshint|global )/i;

/** The text of a comment line with its marker and decoration removed ("" when only decoration is left). */
function commentText(line: string): string {
  const text = line
    .replace(/^\s*(#+|\/\/[/!]?|--|\/\*+|\*+\/?|;+|<!--|rem\b|::)\s?/i, "")
    .replace(/^#+\s+/, "")
    .replace(/\s*(\*+\/|-->)\s*$/, "")
    .replace(/^@(brief|file|fileoverview|overview|description|summary|module)\b\s*/i, "")
    .replace(/[═║╔╗╚╝╠╣─│┌┐└┘━┃=~*#_+]{3,}/g, " ")
    .trim();
  return /\p{L}/u.test(text) ? oneLine(text) : "";
}

/** Whether the line opens, continues or closes a comment in a file of this kind. */
function isCommentLine(line: string, kind: FileKind): boolean {
  const trimmed = line.trim();
  if (trimmed === "") return false;
  if (kind === "sql") return trimmed.startsWith("--") || /^\/?\*/.test(trimmed);
  if (kind === "javascript" || kind === "go" || kind === "rust" || kind === "c-like") return /^(\/\/|\/\*|\*)/.test(trimmed);
  if (kind === "html" || kind === "markdown") return false;
  return trimmed.startsWith("#") && !trimmed.startsWith("#!") && !/^#(include|define|if|endif|pragma)\b/.test(trimmed);
}

/** The first comment block of the file (after a shebang, blank lines and directives), as lines of text. */
function headerComment(lines: readonly string[], kind: FileKind): string[] {
  const texts: string[] = [];
  let started = false;
  for (const line of lines.slice(0, 60)) {
    const trimmed = line.trim();
    const skippable =
      trimmed === "" ||
      trimmed.startsWith("#!") ||
      /^(['"]use strict['"];?|<\?php|package\s+\w+;?|set -[euxo]+( pipefail)?|---)$/.test(trimmed) ||
      (kind === "c-like" && /^#\s*(include|pragma)\b/.test(trimmed));
    if (!isCommentLine(line, kind)) {
      if (started && texts.length > 0) break;
      if (skippable) continue;
      break;
    }
    started = true;
    const text = commentText(trimmed);
    if (text === "" || BOILERPLATE.test(text)) continue;
    // A JSDoc tag or an argument list ends the description.
    if (/^@\w+/.test(text) || /^(args|arguments|parameters|params|returns?):?$/i.test(text)) break;
    texts.push(text);
    if (texts.length >= maxHeaderLines) break;
  }
  return texts;
}

/** A Python module's docstring: its first paragraph. */
function pythonDocstring(lines: readonly string[]): string[] {
  let index = 0;
  while (index < lines.length && index < 40 && /^\s*(#.*)?$/.test(lines[index] ?? "")) index += 1;
  const first = lines[index]?.trim() ?? "";
  const open = /^[rubf]{0,2}("""|''')/i.exec(first);
  if (!open) return [];
  const quote = open[1] as string;
  const texts: string[] = [];
  let line = first.slice(open[0].length);
  for (let i = index; i < lines.length && i < index + 30; i += 1) {
    if (i > index) line = lines[i] ?? "";
    const end = line.indexOf(quote);
    const text = oneLine(end === -1 ? line : line.slice(0, end));
    if (text === "" && texts.length > 0) break;
    if (text !== "" && !BOILERPLATE.test(text)) texts.push(text);
    if (end !== -1 || texts.length >= maxHeaderLines) break;
  }
  return texts;
}

/** Header lines joined: a line that continues a sentence with a space, others with "; ". */
function joinHeader(texts: readonly string[]): string {
  let result = "";
  let ended = false;
  for (const text of texts) {
    const bare = text.replace(/[.;:]+$/, "");
    if (result === "") result = bare;
    else result += ended || !/^[a-z(]/.test(text) ? `; ${bare}` : ` ${bare}`;
    ended = bare !== text;
  }
  return result;
}

/** The first "Usage: ..." line a script prints or states, the script's own name as <script>. */
function usageLine(lines: readonly string[]): string | undefined {
  for (const line of lines.slice(0, 120)) {
    const named = line.replace(/\$\(basename\s+"?\$0"?\)|\$\{0##\*\/\}|\$0|%s|\{sys\.argv\[0\]\}|\{__file__\}/g, "<script>");
    const usage = /\busage:\s*([^"'`\n]{3,120})/i.exec(named)?.[1]?.replace(/[\s);\\]+$/, "");
    if (usage && usage.length >= 3) return `usage: ${oneLine(usage)}`;
  }
  return undefined;
}

const markdownTitle = (lines: readonly string[], content: string): string[] => {
  const front = /^---\n[\s\S]*?^title:\s*["']?(.+?)["']?\s*$/m.exec(content)?.[1];
  const heading = lines.map((line) => /^#{1,3}\s+(.+?)\s*#*\s*$/.exec(line)?.[1]).find((title) => title !== undefined);
  const title = front ?? heading;
  return title ? [title.replace(/\*\*|__|`/g, "")] : [];
};
const htmlTitle = (_lines: readonly string[], content: string): string[] => {
  const title = /<title>([^<]{2,200})<\/title>/i.exec(content)?.[1] ?? /<h1[^>]*>([^<]{2,200})<\/h1>/i.exec(content)?.[1];
  return title ? [title] : [];
};
const unitDescription = (_lines: readonly string[], content: string): string[] => {
  const description = /^Description\s*=\s*(.+)$/m.exec(content)?.[1];
  return description ? [description] : [];
};
/** A docstring, else a header comment, else argparse's description. */
const pythonHeader = (lines: readonly string[], content: string): string[] => {
  const docstring = pythonDocstring(lines);
  if (docstring.length > 0) return docstring;
  const comment = headerComment(lines, "python");
  if (comment.length > 0) return comment;
  const described = /ArgumentParser\([^)]*?description\s*=\s*(["'])(.{3,200}?)\1/s.exec(content)?.[2];
  return described ? [described] : [];
};
/** A file of no known language speaks for itself only as a script (a shebang, then comments). */
const scriptHeader = (lines: readonly string[], content: string): string[] => (/^#!/.test(content) ? headerComment(lines, "shell") : []);
const commentOf =
  (kind: FileKind) =>
  (lines: readonly string[]): string[] =>
    headerComment(lines, kind);

/** Where each kind of file states what it is for. */
const headerReaders: Record<FileKind, (lines: readonly string[], content: string) => string[]> = {
  markdown: markdownTitle,
  html: htmlTitle,
  systemd: unitDescription,
  python: pythonHeader,
  requirements: scriptHeader,
  other: scriptHeader,
  dockerfile: commentOf("dockerfile"),
  makefile: commentOf("makefile"),
  "package-json": () => [],
  compose: commentOf("compose"),
  sql: commentOf("sql"),
  shell: commentOf("shell"),
  javascript: commentOf("javascript"),
  go: commentOf("go"),
  rust: commentOf("rust"),
  "c-like": commentOf("c-like"),
  nginx: commentOf("nginx"),
  config: commentOf("config"),
};

/** What the file says it is for, in its own words; undefined when it says nothing. */
export function ownWords(path: string, content: string): string | undefined {
  const kind = fileKind(path, content);
  const lines = content.split("\n");
  const texts = headerReaders[kind](lines, content)
    .map(oneLine)
    .filter((text) => text !== "");
  const words = joinHeader(texts);
  const usage = kind === "shell" || kind === "python" || /^#!/.test(content) ? usageLine(lines) : undefined;
  const parts = [words, usage && !words.toLowerCase().includes("usage:") ? usage : ""].filter((part) => part !== "");
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** Up to maxNames distinct names, in order. */
function names(found: Iterable<string | undefined>): string[] {
  const unique = new Set<string>();
  for (const name of found) {
    if (name && !unique.has(name)) unique.add(name);
    if (unique.size >= maxNames) break;
  }
  return [...unique];
}

const matchesOf = (content: string, pattern: RegExp, group = 1) => [...content.matchAll(pattern)].map((match) => match[group]);

function dockerfileOutline(content: string): string[] {
  const from = names(matchesOf(content, /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/gim));
  const exposed = names(matchesOf(content, /^\s*EXPOSE\s+(.+)$/gim).flatMap((ports) => ports?.split(/\s+/) ?? []));
  const run = matchesOf(content, /^\s*(?:ENTRYPOINT|CMD)\s+(.+)$/gim).at(-1);
  const command = run
    ? oneLine(
        run
          .replace(/^\[|\]$/g, "")
          .replace(/"\s*,\s*"/g, " ")
          .replace(/"/g, ""),
      )
    : "";
  return [
    from.length > 0 ? `FROM ${from.join(", ")}` : "",
    exposed.length > 0 ? `EXPOSE ${exposed.join(" ")}` : "",
    command ? `runs ${command.slice(0, 60)}` : "",
  ];
}

function makefileOutline(content: string): string[] {
  const targets = names(
    matchesOf(content, /^([A-Za-z0-9][\w./-]*(?:[ \t]+[A-Za-z0-9][\w./-]*)*)[ \t]*:(?![=:])/gm).flatMap(
      (found) => found?.split(/\s+/) ?? [],
    ),
  );
  const products = names(matchesOf(content, /^\s*(?:TARGET|OUT|OUTPUT|LIB|BIN|PROGRAM|NAME)\w*\s*:?=\s*(\S+\.\w+)\s*$/gim));
  return [targets.length > 0 ? `targets ${targets.join(", ")}` : "", products.length > 0 ? `builds ${products.join(", ")}` : ""];
}

function packageOutline(content: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    return configOutline(content);
  }
  if (typeof data !== "object" || data === null) return [];
  const pkg = data as { name?: unknown; version?: unknown; description?: unknown; scripts?: unknown; bin?: unknown };
  const name = typeof pkg.name === "string" ? `${pkg.name}${typeof pkg.version === "string" ? `@${pkg.version}` : ""}` : "";
  const scripts = typeof pkg.scripts === "object" && pkg.scripts !== null ? names(Object.keys(pkg.scripts)) : [];
  const bin = typeof pkg.bin === "object" && pkg.bin !== null ? names(Object.keys(pkg.bin)) : [];
  return [
    name ? `package ${name}` : "",
    typeof pkg.description === "string" ? pkg.description : "",
    scripts.length > 0 ? `scripts ${scripts.join(", ")}` : "",
    bin.length > 0 ? `bin ${bin.join(", ")}` : "",
  ];
}

/** A compose file's services, each with its image (or build) and published ports. */
function composeOutline(content: string): string[] {
  const services: { name: string; image?: string; ports: string[] }[] = [];
  let inServices = false;
  let serviceIndent = -1;
  let inPorts = false;
  for (const line of content.split("\n")) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inServices = /^services\s*:/.test(line);
      serviceIndent = -1;
      continue;
    }
    if (!inServices) continue;
    const key = /^\s*([\w.-]+)\s*:\s*(.*)$/.exec(line);
    if (serviceIndent === -1 || indent <= serviceIndent) {
      if (!key?.[1]) continue;
      serviceIndent = indent;
      services.push({ name: key[1], ports: [] });
      inPorts = false;
      continue;
    }
    const service = services.at(-1);
    if (!service) continue;
    if (key?.[1] === "image" && key[2]) service.image = key[2].replace(/["']/g, "");
    if (key?.[1] === "build" && key[2] && !service.image) service.image = `build ${key[2].replace(/["']/g, "")}`;
    if (key) inPorts = key[1] === "ports";
    const port = inPorts ? /^\s*-\s*["']?([\d.:/a-z]+)["']?\s*(#.*)?$/.exec(line)?.[1] : undefined;
    if (port) service.ports.push(port);
  }
  if (services.length === 0) return configOutline(content);
  const shown = services.slice(0, maxNames).map((service) => {
    const details = [service.image ?? "", ...service.ports].filter((detail) => detail !== "");
    return details.length > 0 ? `${service.name} (${details.join(", ")})` : service.name;
  });
  return [`services ${shown.join(", ")}`];
}

function systemdOutline(content: string): string[] {
  const exec = /^ExecStart\s*=\s*-?(.+)$/m.exec(content)?.[1];
  const calendar = /^OnCalendar\s*=\s*(.+)$/m.exec(content)?.[1];
  const listen = /^Listen\w*\s*=\s*(.+)$/m.exec(content)?.[1];
  const user = /^User\s*=\s*(\S+)$/m.exec(content)?.[1];
  return [
    exec ? `runs ${oneLine(exec).slice(0, 80)}` : "",
    calendar ? `on ${oneLine(calendar)}` : "",
    listen ? `listens ${oneLine(listen)}` : "",
    user ? `as ${user}` : "",
  ];
}

/** An nginx server's listen ports, names, upstreams and root. */
function nginxOutline(content: string): string[] {
  const directive = (name: string) =>
    names(matchesOf(content, new RegExp(`(?:^|[{;])\\s*${name}\\s+([^;{}]+?)\\s*;`, "gm")).map((value) => value && oneLine(value)));
  const parts: [string, string[]][] = [
    ["listen", directive("listen")],
    ["server_name", directive("server_name")],
    ["proxy_pass", directive("proxy_pass")],
    ["root", directive("root")],
  ];
  return parts.filter(([, values]) => values.length > 0).map(([name, values]) => `${name} ${values.slice(0, 3).join(", ")}`);
}

function sqlOutline(content: string): string[] {
  const created = new Map<string, string[]>();
  const pattern =
    /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+|UNIQUE\s+|MATERIALIZED\s+)?(TABLE|VIEW|INDEX|FUNCTION|PROCEDURE|TRIGGER|DATABASE|SCHEMA|USER|ROLE|TYPE|SEQUENCE)\s+(?:IF\s+NOT\s+EXISTS\s+)?([`"[]?[\w.$]+[`"\]]?)/gi;
  for (const match of content.matchAll(pattern)) {
    const kind = (match[1] as string).toLowerCase();
    const list = created.get(kind) ?? [];
    const name = (match[2] as string).replace(/[`"[\]]/g, "");
    if (list.length < maxNames && !list.includes(name)) list.push(name);
    created.set(kind, list);
  }
  const altered = names(matchesOf(content, /\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?[`"]?([\w.$]+)/gi));
  return [...[...created].map(([kind, list]) => `${kind} ${list.join(", ")}`), altered.length > 0 ? `alters ${altered.join(", ")}` : ""];
}

/** One line that defines a name at the top level, per language; the name is the first group that matched. */
const definedIn: Partial<Record<FileKind, RegExp>> = {
  python: /^(?:async\s+)?(?:def|class)\s+([A-Za-z]\w*)/,
  shell: /^\s*(?:function\s+)?([A-Za-z][\w-]*)\s*\(\)\s*\{?\s*$|^\s*function\s+([A-Za-z][\w-]*)\s*\{?\s*$/,
  javascript:
    /^\s*export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|interface|type|enum)\s+([A-Za-z_$][\w$]*)/,
  go: /^func\s+(?:\([^)]*\)\s*)?([A-Za-z]\w*)\s*\(/,
  rust: /^\s*pub(?:\([\w:]+\))?\s+(?:async\s+)?(?:fn|struct|enum|trait|mod)\s+([A-Za-z]\w*)|^fn\s+(main)\b/,
  "c-like":
    /^(?:[A-Za-z_][\w:<>,]*[ \t*&]+)+\**([A-Za-z_]\w*)[ \t]*\([^;{}]*\)[ \t]*(?:const[ \t]*)?\{?[ \t]*$|^[ \t]*(?:public[ \t]+|export[ \t]+)?(?:abstract[ \t]+|final[ \t]+)?(?:class|struct|interface)[ \t]+([A-Za-z_]\w*)/,
};
/** Words that open a statement, not a definition, in C-like code. */
const STATEMENT = /^\s*(if|for|while|switch|return|else|do|case|sizeof|printf|typedef)\b/;
/** Lines longer than this (minified code, data) are not read for definitions. */
const maxDefinitionLineChars = 240;

/** The names a piece of source code defines at its top level (functions, classes, exports). */
export function definedNames(kind: FileKind, code: string): string[] {
  const pattern = definedIn[kind];
  if (!pattern) return [];
  const lines = code.split("\n").filter((line) => line.length <= maxDefinitionLineChars && !(kind === "c-like" && STATEMENT.test(line)));
  // Names with two leading underscores are compiler attributes and builtins, not what the file defines.
  const found = names(
    lines
      .map((line) => pattern.exec(line))
      .map((match) => match?.[1] ?? match?.[2])
      .filter((name) => !name?.startsWith("__")),
  );
  // A JavaScript file that exports nothing still defines its top-level functions and classes.
  if (found.length > 0 || kind !== "javascript") return found;
  return names(lines.map((line) => /^(?:async\s+)?(?:function\*?|class)\s+([A-Za-z_$][\w$]*)/.exec(line)?.[1]));
}

/** The top-level sections and settled values of a configuration (values with a digit, a dot or a slash). */
export function configParts(content: string, max = 8): { lines: number; sections: string[]; values: string[] } {
  const lines = content.split("\n").filter((line) => line.trim() !== "" && !/^\s*(#|\/\/|;)/.test(line));
  const sections = new Set<string>();
  const values = new Set<string>();
  // Where the file has [sections] (INI, TOML), they are its sections, not the keys in them.
  const bracketed = lines.some((line) => /^\[[^\]]{1,60}\]\s*$/.test(line));
  for (const line of lines) {
    const section = bracketed ? /^\[([^\]]{1,60})\]/.exec(line) : /^"?([A-Za-z_][\w.-]{0,60})"?\s*[:=]/.exec(line);
    if (section?.[1] && sections.size < max) sections.add(section[1]);
    const value = /(?:[:=]|^\s*-)\s*["']?([^\s"'#,{}[\]]{3,120})["']?\s*,?\s*$/.exec(line)?.[1];
    if (value && /[\d./]/.test(value) && !/^(true|false|null|yes|no)$/i.test(value) && values.size < max) values.add(value);
  }
  return { lines: lines.length, sections: [...sections], values: [...values] };
}

function configOutline(content: string): string[] {
  const { sections, values } = configParts(content);
  return [sections.length > 0 ? `sections ${sections.join(", ")}` : "", values.length > 0 ? `values ${values.join(", ")}` : ""];
}

function requirementsOutline(content: string): string[] {
  const packages = names(matchesOf(content, /^\s*([A-Za-z][\w.-]*)/gm));
  return packages.length > 0 ? [`packages ${packages.join(", ")}`] : [];
}

function markdownOutline(content: string): string[] {
  const headings = names(matchesOf(content, /^##\s+(.+?)\s*#*\s*$/gm).map((heading) => heading?.replace(/\*\*|__|`/g, "")));
  return headings.length > 1 ? [`sections ${headings.slice(0, 4).join(", ")}`] : [];
}

/** Source code: the names it defines (and a Go file's package). */
const codeOutline =
  (kind: FileKind) =>
  (content: string): string[] => {
    const defined = definedNames(kind, content);
    const pkg = kind === "go" ? /^package\s+(\w+)/m.exec(content)?.[1] : undefined;
    return [pkg ? `package ${pkg}` : "", defined.length > 0 ? `defines ${defined.join(", ")}` : ""];
  };

/** How each kind of file is outlined. */
const outliners: Record<FileKind, (content: string) => string[]> = {
  dockerfile: dockerfileOutline,
  makefile: makefileOutline,
  "package-json": packageOutline,
  compose: composeOutline,
  systemd: systemdOutline,
  sql: sqlOutline,
  nginx: nginxOutline,
  config: configOutline,
  requirements: requirementsOutline,
  markdown: markdownOutline,
  python: codeOutline("python"),
  shell: codeOutline("shell"),
  javascript: codeOutline("javascript"),
  go: codeOutline("go"),
  rust: codeOutline("rust"),
  "c-like": codeOutline("c-like"),
  html: () => [],
  other: () => [],
};

/** What the file holds, as short labelled parts ("FROM python:3.12-slim", "targets build, test"). */
export function outline(path: string, content: string): string[] {
  return outliners[fileKind(path, content)](content)
    .map(oneLine)
    .filter((part) => part !== "");
}
