import fs from "node:fs";
import { tempDir } from "../test-support/temp-dirs";
import { appendFileSync, existsSync, readFileSync, readdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ApiError, UnreachableError, requestJson } from "../platform/http-json";
import type { SpoolEvent } from "./spool-event";
import { activeSpoolFile, appendSpoolEvent, readSpoolFile } from "./spool-file";
import { flushSpool, isSuperseded, pendingEvents, spoolHasWork } from "./spool-flush";
import { senderRunning, tryLockSender } from "./sender-lock";

const scope = { cwd: "/work/app" };

function command(id: string, text = `echo ${id}`): SpoolEvent {
  return {
    id,
    kind: "command",
    at: "2026-11-25T10:00:00.000Z",
    claudeSessionId: "s1",
    data: { scope, commandText: text, shellType: "bash" },
  };
}

function transcript(id: string, endOffset: number, trigger: "stop" | "session_end" = "stop"): SpoolEvent {
  return {
    id,
    kind: "transcript",
    at: "2026-11-25T10:00:00.000Z",
    claudeSessionId: "s1",
    data: { scope, transcriptPath: "/t.jsonl", endOffset, trigger },
  };
}

const spoolDir = () => join(tempDir("msp-spool-"), "spool");

describe("appendSpoolEvent", () => {
  it("appends one JSON line per event and fsyncs each", () => {
    const dir = spoolDir();
    const fsync = jest.spyOn(fs, "fsyncSync");
    appendSpoolEvent(dir, command("a"));
    appendSpoolEvent(dir, command("b"));
    expect(fsync).toHaveBeenCalledTimes(2);
    fsync.mockRestore();
    const lines = readFileSync(join(dir, activeSpoolFile), "utf8").split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!).id).toBe("a");
    expect(lines[2]).toBe("");
    expect(fs.statSync(join(dir, activeSpoolFile)).mode & 0o777).toBe(0o600);
  });

  it("skips a torn last line after a crash, and keeps the event written after it whole", () => {
    const dir = spoolDir();
    appendSpoolEvent(dir, command("a"));
    appendFileSync(join(dir, activeSpoolFile), '{"id":"torn","kind":"comm'); // the crash
    expect(readSpoolFile(join(dir, activeSpoolFile))).toMatchObject({ skipped: 1 });
    appendSpoolEvent(dir, command("b"));
    const read = readSpoolFile(join(dir, activeSpoolFile));
    expect(read.events.map((event) => event.id)).toEqual(["a", "b"]);
    expect(read.skipped).toBe(1);
  });

  it("skips lines that are JSON but not events", () => {
    const dir = spoolDir();
    appendSpoolEvent(dir, command("a"));
    appendFileSync(join(dir, activeSpoolFile), '{"id":"x","kind":"unknown","claudeSessionId":"s","data":{}}\n[1,2]\n');
    expect(readSpoolFile(join(dir, activeSpoolFile))).toMatchObject({ events: [{ id: "a" }], skipped: 2 });
  });
});

describe("flushSpool", () => {
  it("delivers every event once, in order, and empties the spool", async () => {
    const dir = spoolDir();
    for (const id of ["a", "b", "c"]) appendSpoolEvent(dir, command(id));
    expect(spoolHasWork(dir)).toBe(true);
    const sent: string[] = [];
    const result = await flushSpool(dir, (event) => Promise.resolve(void sent.push(event.id)), { graceMs: 0 });
    expect(sent).toEqual(["a", "b", "c"]);
    expect(result).toMatchObject({ delivered: 3, remaining: 0, failed: 0 });
    expect(spoolHasWork(dir)).toBe(false);
    expect(await flushSpool(dir, (event) => Promise.resolve(void sent.push(event.id)), { graceMs: 0 })).toMatchObject({ delivered: 0 });
    expect(sent).toHaveLength(3);
  });

  it("stops at an unreachable platform and sends the rest, once, on the next flush", async () => {
    const dir = spoolDir();
    for (const id of ["a", "b", "c"]) appendSpoolEvent(dir, command(id));
    const sent: string[] = [];
    let down = false;
    const deliver = (event: SpoolEvent) => {
      if (event.id === "b" && !down) {
        down = true;
        return Promise.reject(new UnreachableError("ECONNREFUSED"));
      }
      sent.push(event.id);
      return Promise.resolve();
    };
    const first = await flushSpool(dir, deliver, { graceMs: 0 });
    expect(first).toMatchObject({ delivered: 1, remaining: 2, stoppedBy: "ECONNREFUSED" });
    appendSpoolEvent(dir, command("d")); // a hook spools more meanwhile
    const second = await flushSpool(dir, deliver, { graceMs: 0 });
    expect(second).toMatchObject({ delivered: 3, remaining: 0 });
    expect(sent).toEqual(["a", "b", "c", "d"]);
  });

  it("gives up on an event the platform refuses, keeping it in failed.jsonl, and goes on", async () => {
    const dir = spoolDir();
    for (const id of ["a", "b"]) appendSpoolEvent(dir, command(id));
    const log: string[] = [];
    const result = await flushSpool(
      dir,
      (event) =>
        event.id === "a"
          ? Promise.reject(new ApiError(400, "invalid_argument", "command_run.command_text: is required"))
          : Promise.resolve(),
      { graceMs: 0, log: (message) => log.push(message) },
    );
    expect(result).toMatchObject({ delivered: 1, failed: 1, remaining: 0 });
    const failed = JSON.parse(readFileSync(join(dir, "failed.jsonl"), "utf8"));
    expect(failed).toMatchObject({ error: expect.stringContaining("is required"), event: { id: "a" } });
    expect(log[0]).toContain("gave up on spooled command a");
  });

  it("sets a delivered batch aside (hooks then see no work), and deletes it after its grace period", async () => {
    const dir = spoolDir();
    appendSpoolEvent(dir, command("a"));
    await flushSpool(dir, () => Promise.resolve(), { graceMs: 60_000 });
    const files = () => readdirSync(dir).filter((file) => file.startsWith("batch-"));
    expect(files()).toEqual([expect.stringMatching(/^batch-\d+-\d+\.jsonl\.done$/)]);
    expect(spoolHasWork(dir)).toBe(false);
    // Two minutes later: set aside (its name) and last written (its mtime) that long ago.
    const old = new Date(Date.now() - 120_000);
    const aged = join(dir, `batch-${String(old.getTime()).padStart(13, "0")}-1.jsonl.done`);
    renameSync(join(dir, files()[0]!), aged);
    utimesSync(aged, old, old);
    await flushSpool(dir, () => Promise.resolve(), { graceMs: 60_000 });
    expect(files()).toEqual([]);
    expect(readFileSync(join(dir, "delivered.log"), "utf8")).toBe("");
  });

  it("still delivers, once, an event a late hook appended to a batch after it was set aside", async () => {
    const dir = spoolDir();
    appendSpoolEvent(dir, command("a"));
    await flushSpool(dir, () => Promise.resolve(), { graceMs: 0 });
    const done = readdirSync(dir).find((file) => file.endsWith(".done"));
    // Deleted at once (grace 0), its ids still in the journal: plant it again with a late writer's extra line.
    expect(done).toBeUndefined();
    const late = join(dir, "batch-0000000000001-1.jsonl.done");
    writeFileSync(late, `${JSON.stringify(command("a"))}\n${JSON.stringify(command("late"))}\n`);
    const sent: string[] = [];
    await flushSpool(dir, (event) => Promise.resolve(void sent.push(event.id)), { graceMs: 0 }); // finds it stranded: back to a batch
    await flushSpool(dir, (event) => Promise.resolve(void sent.push(event.id)), { graceMs: 0 });
    expect(sent).toEqual(["late"]);
  });

  it("resumes after a sender crash without sending what it had finished", async () => {
    const dir = spoolDir();
    for (const id of ["a", "b"]) appendSpoolEvent(dir, command(id));
    const crash = new Error("killed");
    await expect(
      // Not retryable: recorded as failed, not sent again.
      flushSpool(dir, (event) => (event.id === "b" ? Promise.reject(crash) : Promise.resolve())),
    ).resolves.toMatchObject({ delivered: 1, failed: 1 });
    const sent: string[] = [];
    await flushSpool(dir, (event) => Promise.resolve(void sent.push(event.id)));
    expect(sent).toEqual([]);
    expect(pendingEvents(dir)).toEqual([]);
  });

  it("skips a transcript event when a later one of the same session covers more", async () => {
    expect(isSuperseded(transcript("t1", 100), [transcript("t2", 200)])).toBe(true);
    expect(isSuperseded(transcript("t1", 300), [transcript("t2", 200)])).toBe(false);
    expect(isSuperseded(transcript("end", 200, "session_end"), [transcript("t2", 200)])).toBe(false);
    expect(isSuperseded(command("c"), [transcript("t2", 200)])).toBe(false);
    const dir = spoolDir();
    appendSpoolEvent(dir, transcript("t1", 100));
    appendSpoolEvent(dir, transcript("t2", 200));
    const sent: string[] = [];
    expect(await flushSpool(dir, (event) => Promise.resolve(void sent.push(event.id)))).toMatchObject({ delivered: 1, superseded: 1 });
    expect(sent).toEqual(["t2"]);
  });
});

describe("what a flush leaves on disk", () => {
  const fakeRedact = (text: string) => text.replace(/Legacy-S3cret/g, "[REDACTED:password]");
  const legacy = (id: string): SpoolEvent => ({
    id,
    kind: "command",
    at: "2026-11-25T10:00:00.000Z",
    claudeSessionId: "s1",
    data: { scope, commandText: "mysql -pLegacy-S3cret crm", shellType: "bash", outputSummary: "Legacy-S3cret" },
    unredacted: true,
  });
  const spoolText = (dir: string) =>
    readdirSync(dir)
      .filter((file) => file !== "blobs")
      .map((file) => readFileSync(join(dir, file), "utf8"))
      .join("\n");

  it("deletes what it delivered once the grace period is over, waiting it out when asked to settle", async () => {
    const dir = spoolDir();
    appendSpoolEvent(dir, command("a", "echo delivered"));
    await flushSpool(dir, () => Promise.resolve(), { settle: true });
    expect(readdirSync(dir).filter((file) => file.startsWith("batch-"))).toEqual([]);
    expect(spoolText(dir)).not.toContain("echo delivered");
  });

  it("redacts an event an earlier version spooled unredacted, in place while the platform is down", async () => {
    const dir = spoolDir();
    appendSpoolEvent(dir, legacy("old"));
    const down = () => Promise.reject(new UnreachableError("ECONNREFUSED"));
    await flushSpool(dir, down, { graceMs: 0, redact: fakeRedact });
    expect(spoolText(dir)).not.toContain("Legacy-S3cret");
    const [pending] = pendingEvents(dir);
    expect(pending).toMatchObject({ id: "old", data: { commandText: "mysql -p[REDACTED:password] crm" } });
    expect(pending).not.toHaveProperty("unredacted");
  });

  it("keeps a refused event in failed.jsonl redacted, with its message redacted", async () => {
    const dir = spoolDir();
    appendSpoolEvent(dir, legacy("refused"));
    const refuse = () => Promise.reject(new ApiError(400, "invalid_argument", "command_text Legacy-S3cret is too long"));
    const result = await flushSpool(dir, refuse, { settle: true, redact: fakeRedact });
    expect(result).toMatchObject({ failed: 1, remaining: 0 });
    expect(readdirSync(dir).filter((file) => file.startsWith("batch-"))).toEqual([]);
    const failed = readFileSync(join(dir, "failed.jsonl"), "utf8");
    expect(failed).not.toContain("Legacy-S3cret");
    expect(JSON.parse(failed)).toMatchObject({ error: expect.stringContaining("[REDACTED:password]"), event: { id: "refused" } });
  });
});

describe("exactly once through a crash between the server's commit and the sender's journal", () => {
  it("the server's idempotency keys make the retried send a no-op", async () => {
    // A fake platform: stores each idempotency key once, like Ingest does.
    const stored = new Map<string, number>();
    let dropNextAnswer = true;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const { idempotencyKey } = JSON.parse(body) as { idempotencyKey: string };
        const status = stored.has(idempotencyKey) ? "duplicate" : "stored";
        stored.set(idempotencyKey, (stored.get(idempotencyKey) ?? 0) + (status === "stored" ? 1 : 0));
        if (dropNextAnswer) {
          dropNextAnswer = false;
          req.socket.destroy(); // committed, but the answer never arrives
          return;
        }
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ status }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/memory:ingest`;
    try {
      const dir = spoolDir();
      appendSpoolEvent(dir, transcript("t1", 100));
      const deliver = (event: SpoolEvent) =>
        requestJson({ method: "POST", url, body: { idempotencyKey: event.id }, timeoutMs: 2_000 }).then(() => undefined);
      const first = await flushSpool(dir, deliver);
      expect(first).toMatchObject({ delivered: 0, remaining: 1 });
      expect(first.stoppedBy).toMatch(/ECONNRESET|socket hang up/);
      const second = await flushSpool(dir, deliver);
      expect(second).toMatchObject({ delivered: 1, remaining: 0 });
      expect(stored.get("t1")).toBe(1);
    } finally {
      server.close();
    }
  });
});

describe("sender lock", () => {
  it("lets one sender run at a time and takes over a lock whose process is gone", () => {
    const dir = spoolDir();
    const lock = tryLockSender(dir)!;
    expect(lock).toBeDefined();
    expect(tryLockSender(dir)).toBeUndefined();
    expect(senderRunning(dir)).toBe(true);
    lock.release();
    expect(senderRunning(dir)).toBe(false);
    writeFileSync(join(dir, "sender.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, at: new Date().toISOString() }));
    const taken = tryLockSender(dir);
    expect(taken).toBeDefined();
    taken!.release();
    expect(existsSync(join(dir, "sender.lock"))).toBe(false);
  });
});
