import type { CommandRun, FileChange } from "../platform/platform-types";
import { quoteFilter } from "../platform/platform-client";
import type { CommandData, SpoolEvent } from "../spool/spool-event";
import type { DeliveryContext } from "./delivery-context";
import { deliveringEvent } from "./delivery-context";
import { ensureWorkSession } from "./work-session";

type CommandEvent = Extract<SpoolEvent, { kind: "command" }>;
type FileChangeEvent = Extract<SpoolEvent, { kind: "file-change" }>;

/** How far around an uncertain first attempt to look for the record it may have created. */
const uncertainWindowMs = 120_000;

/** Records a Bash command as a commands_run row of the Claude session's work session. */
export async function deliverCommand(context: DeliveryContext, event: CommandEvent): Promise<void> {
  const ctx = deliveringEvent(context, event.id);
  const sessionId = await ensureWorkSession(ctx, event.claudeSessionId, { scope: event.data.scope, startedAt: event.at });
  const data = event.unredacted ? redactCommand(event.data, ctx.redact) : event.data;
  const record: Omit<CommandRun, "id"> & { shellType: string; errorMessage?: string } = {
    sessionId,
    commandText: data.commandText,
    shellType: data.shellType,
    ...(data.exitCode !== undefined ? { exitCode: data.exitCode } : {}),
    ...(data.success !== undefined ? { success: data.success } : {}),
    ...(data.outputSummary ? { outputSummary: data.outputSummary } : {}),
    ...(data.errorMessage ? { errorMessage: data.errorMessage } : {}),
  };
  if (
    event.uncertain &&
    (await alreadyRecorded(
      ctx,
      "/api/v1/commands",
      "commandRuns",
      sessionId,
      event.at,
      (row: CommandRun) => row.commandText === data.commandText,
    ))
  )
    return;
  await ctx.platform.createCommandRun(record, ctx.timeoutMs());
}

/** Records a file edit or write as a file_changes row of the Claude session's work session. */
export async function deliverFileChange(context: DeliveryContext, event: FileChangeEvent): Promise<void> {
  const ctx = deliveringEvent(context, event.id);
  const sessionId = await ensureWorkSession(ctx, event.claudeSessionId, { scope: event.data.scope, startedAt: event.at });
  const data = event.unredacted ? { ...event.data, filePath: ctx.redact(event.data.filePath) } : event.data;
  if (
    event.uncertain &&
    (await alreadyRecorded(
      ctx,
      "/api/v1/fileChanges",
      "fileChanges",
      sessionId,
      event.at,
      (row: FileChange) => row.filePath === data.filePath,
    ))
  )
    return;
  await ctx.platform.createFileChange(
    {
      sessionId,
      filePath: data.filePath,
      changeType: data.changeType,
      description: data.description,
      ...(data.sizeBytes !== undefined ? { sizeBytes: data.sizeBytes } : {}),
    } as Omit<FileChange, "id">,
    ctx.timeoutMs(),
  );
}

/** A command spooled as Claude sent it, redacted now, before it leaves the machine. */
export function redactCommand(data: CommandData, redact: (text: string) => string): CommandData {
  return {
    ...data,
    commandText: redact(data.commandText),
    ...(data.outputSummary !== undefined ? { outputSummary: redact(data.outputSummary) } : {}),
    ...(data.errorMessage !== undefined ? { errorMessage: redact(data.errorMessage) } : {}),
  };
}

/**
 * After a first attempt that may have reached the server (it sent the request but got no answer
 * in time), looks for the row it would have created: same session, same text, created around
 * that moment. Their Idempotency-Keys cover a repeat within the platform's 24 hours; this covers a
 * first attempt made by a version of the CLI that sent none.
 */
async function alreadyRecorded<T>(
  ctx: DeliveryContext,
  path: string,
  field: string,
  sessionId: string,
  at: string,
  same: (row: T) => boolean,
): Promise<boolean> {
  const time = Date.parse(at);
  const from = new Date(time - uncertainWindowMs).toISOString();
  const to = new Date(time + uncertainWindowMs).toISOString();
  const filter = `session_id = ${quoteFilter(sessionId)} AND created_at >= ${quoteFilter(from)} AND created_at <= ${quoteFilter(to)}`;
  const rows = await ctx.platform.listRaw<T>(path, field, filter, ctx.timeoutMs());
  return rows.some(same);
}
