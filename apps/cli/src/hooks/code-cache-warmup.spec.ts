import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLog } from "../local/error-log";
import { readSpoolFile } from "../spool/spool-file";
import { runEveryHookOnce } from "./code-cache-warmup";

// The build warms V8's code cache with this run: it is worth something only if every hook gets
// past its start and down the path it takes with the platform down, as Claude Code would run it.
test("the code cache's warm-up runs every hook down to its spool, without an error", async () => {
  const scratch = mkdtempSync(join(tmpdir(), "msp-warmup-"));
  try {
    const paths = await runEveryHookOnce(scratch);
    const kinds = readSpoolFile(join(paths.spool, "events.jsonl")).events.map((event) => `${event.kind}`);
    expect(kinds).toEqual(["session-open", "command", "file-change", "transcript", "transcript", "transcript"]);
    expect(readLog(paths.log, 50)).toEqual([]);
    // The Bash call went through the redactor before it was spooled.
    expect(readFileSync(join(paths.spool, "events.jsonl"), "utf8")).not.toMatch(/WarmUp2024|warmup0123456789abcdef/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
