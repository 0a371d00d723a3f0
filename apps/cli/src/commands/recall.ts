import { createPlatformClient } from "../platform/platform-client";
import { ApiError } from "../platform/http-json";
import type { RecalledItem } from "../platform/platform-types";
import type { CommonOptions } from "./command-support";
import { CommandError, emit, pathsOf, requireConfig } from "./command-support";
import { clientNameOf, describeScope, folderScope, recallForScope } from "./folder-recall";
import { readCatalog } from "../local/project-catalog";

export interface RecallOptions extends CommonOptions {
  id?: string;
  explain?: boolean;
  budget?: string;
  cwd?: string;
}

/** `msp recall [query] [--id ID] [--explain]`: what the platform remembers for this folder, or one item in full. */
export async function recallCommand(queryWords: string[], options: RecallOptions): Promise<void> {
  const paths = pathsOf(options);
  const config = requireConfig(paths);
  const platform = createPlatformClient(config.server, config.apiKey);
  if (options.id) {
    if (!/^[a-z0-9]{4,32}$/i.test(options.id))
      throw new CommandError(`--id: "${options.id}" is not a short id (8 letters and digits, as recalled lines show them)`);
    try {
      const item = await platform.getMemoryItem(options.id.toLowerCase());
      emit(options, item, [
        `[${item.kind ?? "item"} ${item.shortId}] ${item.title ?? ""}`,
        [
          item.time ? item.time.slice(0, 10) : "",
          item.machineName ? `from ${item.machineName}` : "",
          item.tags?.length ? `tags: ${item.tags.join(", ")}` : "",
        ]
          .filter(Boolean)
          .join(" · "),
        "",
        item.text ?? "",
      ]);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) throw new CommandError(`no memory item ${options.id}`, "not_found");
      throw error;
    }
    return;
  }
  const budget = options.budget === undefined ? undefined : Number(options.budget);
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 200 || budget > 10_000))
    throw new CommandError("--budget: a whole number of characters from 200 to 10000");
  const query = queryWords.join(" ").trim();
  const scope = await folderScope(paths, platform, options.cwd ?? process.cwd());
  const answer = await recallForScope(config, platform, scope, {
    ...(query ? { query } : {}),
    ...(options.explain ? { explain: true } : {}),
    ...(budget ? { budgetChars: budget } : {}),
  });
  const items = answer.items ?? [];
  emit(options, { scope, ...answer }, [
    `# ${describeScope(scope, clientNameOf(readCatalog(paths.cache), scope.clientId))}${query ? `, query "${query}"` : ""}`,
    answer.text ? answer.text : "(nothing remembered here yet)",
    ...(options.explain && items.length > 0 ? ["", "Why these items (score = parts x decay):", ...items.map(explainLine)] : []),
  ]);
}

function explainLine(item: RecalledItem): string {
  // A host line is no stored memory item: the infra service's facts of a host the query (or folder) names.
  if (item.kind === "host")
    return `  ${item.shortId} ${"host".padEnd(15)} facts of ${item.title ?? "a host"} (infra service), named by the query or folder`;
  const parts = item.scoreParts ?? {};
  const figure = (value: number | undefined) => (value ?? 0).toFixed(2);
  return `  ${item.shortId} ${(item.kind ?? "").padEnd(15)} score ${figure(item.score)}: text ${figure(parts.textRelevance)}, tags ${figure(parts.tagOverlap)}, scope ${figure(parts.scopeMatch)}, importance ${figure(parts.importance)}, decay ${figure(parts.decay)}, useful ${figure(parts.usefulness)}${parts.pinned ? ", pinned" : ""}`;
}
