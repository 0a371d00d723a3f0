import { readFileSync } from "node:fs";
import type { PlatformStack } from "@msp/testing";
import { startPlatform, withSlowness } from "@msp/testing";
import { realTranscript } from "../test/real-transcripts";
import { TranscriptWriter } from "../test/transcript-records";

jest.setTimeout(withSlowness(120_000));

const large = "Skills03__ubuntu-secure/extracted_conversation_1201_messages.jsonl";
/** What a client sends per REST part: its JSON body stays under the gateway's 1 MiB limit. */
const partBytes = 512 * 1024;

/** Consecutive pieces of `text` whose JSON encoding (as a request body holds it) is at most `maxBytes`. */
function partsOf(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let from = 0;
  while (from < text.length) {
    let size = Math.min(maxBytes, text.length - from);
    while (Buffer.byteLength(JSON.stringify(text.slice(from, from + size))) > maxBytes) size = Math.floor(size * 0.9);
    parts.push(text.slice(from, from + size));
    from += size;
  }
  return parts;
}

/** A transcript over 1 MiB: the real large one when present, else this project's own synthetic sessions. */
function largeTranscript(): string {
  const path = realTranscript(large);
  if (path) return readFileSync(path, "utf8");
  console.warn(`gateway ingest: ${large} not found; using a synthetic transcript`);
  const w = new TranscriptWriter({ sessionId: "large-synthetic" });
  for (let i = 0; i < 600; i++) {
    w.prompt(`Check the disk usage of backup0${i % 9} and clean old snapshots (${"details ".repeat(40)})`)
      .bash(
        `ssh backup0${i % 9} 'df -h /srv'`,
        `/dev/sdb1  2.0T  1.${i % 9}T  0.${i % 7}T  ${60 + (i % 30)}% /srv\n${"log line\n".repeat(60)}`,
      )
      .say(`backup0${i % 9} has room left; the snapshots older than 30 days can go.`);
  }
  const text = w.jsonl();
  expect(text.length).toBeGreaterThan(1024 * 1024);
  return text;
}

let platform: PlatformStack;
let token: string;
beforeAll(async () => {
  platform = await startPlatform();
  token = await platform.login();
});
afterAll(async () => {
  await platform?.stop();
});

describe("Ingest through the gateway", () => {
  it("refuses a transcript over the 1 MiB body limit in one request, and takes it in parts of 512 KiB", async () => {
    const transcript = largeTranscript();
    const claudeSessionId = "gateway-large-0001";
    const whole = await platform.api("POST", "/api/v1/memory:ingest", {
      token,
      body: { claudeSessionId, idempotencyKey: "gateway-whole", transcript },
    });
    expect(whole.status).toBe(413);

    const parts = partsOf(transcript, partBytes);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.join("")).toBe(transcript);
    const started = performance.now();
    const answers = [];
    for (const [partIndex, part] of parts.entries()) {
      answers.push(
        await platform.api("POST", "/api/v1/memory:ingest", {
          token,
          body: {
            claudeSessionId,
            idempotencyKey: "gateway-parts",
            transcript: part,
            partIndex,
            partCount: parts.length,
            trigger: "session_end",
          },
        }),
      );
    }
    const ms = performance.now() - started;
    console.log(`gateway ingest: ${(transcript.length / 1e6).toFixed(1)} MB in ${parts.length} REST parts, ${ms.toFixed(0)} ms`);
    expect(answers.map((a) => a.status)).toEqual(parts.map(() => 200));
    expect(answers.slice(0, -1).map((a) => a.json.status)).toEqual(parts.slice(1).map(() => "part_received"));
    const last = answers[answers.length - 1]!.json;
    expect(last.status).toBe("stored");
    expect(last.stats).toMatchObject({ partsReceived: parts.length, partsExpected: parts.length, malformedLines: 0 });
    expect(last.context.claudeSessionId).toBe(claudeSessionId);

    const again = await platform.api("POST", "/api/v1/memory:ingest", {
      token,
      body: { claudeSessionId, idempotencyKey: "gateway-parts", transcript: parts[0], partIndex: 0, partCount: parts.length },
    });
    expect(again.json.status).toBe("duplicate");
  });
});
