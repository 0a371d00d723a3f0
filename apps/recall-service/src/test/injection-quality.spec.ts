// Issue 16: what Claude is shown at the start of a session is the best use of its budget. Seen
// before: the project state and the context as the same text twice, raw file contents (compose
// files, Makefiles), a user's remark doubled, the same failure as several snippets, and snippets
// dated the day the transcript reached the platform while the work was months earlier. These
// sessions carry each of those shapes; the injection must show none of them.
import type { DeepPartial } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { IngestRequest, RecallRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { call } from "@msp/testing";
import type { RecallStack } from "./recall-test-stack";
import { startRecallStack } from "./recall-test-stack";
import { TranscriptWriter } from "./transcript-records";

const project = "0190f5c8-0000-7000-8000-00000000a0a1";
const client = "0190f5c8-0000-7000-8000-00000000c0a1";
const scope = {
  projectId: project,
  clientId: client,
  machineId: "0190f5c8-0000-7000-8000-00000000d0a1",
  machineName: "LAPTOP-7",
  repository: "github.com/acme/ops",
};

const compose = [
  "services:",
  "  db:",
  "    image: postgres:16-alpine",
  "    restart: unless-stopped",
  "    environment:",
  "      POSTGRES_DB: billing",
  "      POSTGRES_USER: billing",
  "    volumes:",
  "      - pgdata:/var/lib/postgresql/data",
  "  app:",
  "    image: ghcr.io/acme/billing:2.4.1",
  "    depends_on: [db]",
  "    ports:",
  '      - "8443:8443"',
  "volumes:",
  "  pgdata: {}",
].join("\n");

/** The billing stack moved to docker compose on app01, in June. */
function composeSession(): string {
  const w = new TranscriptWriter({ sessionId: "quality-0001", cwd: "/home/tech/acme-ops", start: new Date("2026-06-10T08:00:00Z") });
  w.prompt("Move the billing app on app01 to docker compose. We will use postgres 16 only, no mysql.")
    .say("I'll write a compose file for the billing app with a postgres 16 database and the app on port 8443.")
    .write("/home/tech/acme-ops/billing/docker-compose.yml", compose)
    .bash("ssh app01 'cd /srv/billing && docker compose up -d'", "Error response from daemon: port is already allocated", true)
    .say("Port 8443 is taken by the old billing service (systemd unit billing.service). I'll stop and disable it first.")
    .bash(
      "ssh app01 'sudo systemctl disable --now billing.service'",
      "Removed /etc/systemd/system/multi-user.target.wants/billing.service.",
    )
    .bash("ssh app01 'cd /srv/billing && docker compose up -d'", "Error response from daemon: port is already allocated", true)
    .say("Still taken: an old docker-proxy holds 8443. Restarting docker frees it.")
    .bash("ssh app01 'sudo systemctl restart docker && cd /srv/billing && docker compose up -d'", "Container billing-app-1  Started")
    .bash("python3 check_billing.py", "all 12 checks passed")
    .prompt("Good. We will use postgres 16 only, no mysql. Next: move the nightly invoice job into the compose stack.")
    .say("The billing app runs in docker compose on app01 (postgres 16, port 8443). Next: the nightly invoice job as a compose service.");
  return w.jsonl();
}

/** A later, short session of the same project, in July. */
function backupSession(): string {
  const w = new TranscriptWriter({ sessionId: "quality-0002", cwd: "/home/tech/acme-ops", start: new Date("2026-07-02T14:00:00Z") });
  w.prompt("Add a nightly pg_dump of the billing database on app01 to /backup/billing.")
    .bash(
      "ssh app01 'echo \"0 2 * * * docker exec billing-db-1 pg_dump -U billing billing > /backup/billing/billing.sql\" | sudo tee /etc/cron.d/billing-dump'",
      "0 2 * * * docker exec billing-db-1 pg_dump -U billing billing > /backup/billing/billing.sql",
    )
    .say("The nightly dump of the billing database runs at 02:00 from /etc/cron.d/billing-dump into /backup/billing.");
  return w.jsonl();
}

let stack: RecallStack;
let shown: string;

beforeAll(async () => {
  stack = await startRecallStack();
  let keys = 0;
  const ingest = (partial: DeepPartial<IngestRequest>) =>
    call(
      stack.memory,
      "ingest",
      IngestRequest.fromPartial({ scope, trigger: "session_end", idempotencyKey: `quality:${++keys}`, ...partial }),
    );
  expect((await ingest({ claudeSessionId: "quality-0001", transcript: composeSession() })).status).toBe("stored");
  expect((await ingest({ claudeSessionId: "quality-0002", transcript: backupSession() })).status).toBe("stored");
  shown = (await call(stack.memory, "recall", RecallRequest.fromPartial({ scope: { projectId: project, clientId: client } }))).text;
  if (process.env["SHOW_INJECTION"]) console.log(shown);
});

afterAll(async () => {
  await stack.stop();
});

/** A line as a reader compares it: without its short id, bullets and spacing. */
const normalized = (line: string) =>
  line
    .replace(/\[[0-9a-z]{8}\]/g, "")
    .replace(/^[\s\-*#>•]+/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();

describe("the SessionStart injection of a project", () => {
  it("shows the work of both sessions", () => {
    expect(shown).toContain("8443");
    expect(shown).toContain("/etc/cron.d/billing-dump");
  });

  it("never shows the same line twice", () => {
    const lines = shown
      .split("\n")
      .map(normalized)
      .filter((l) => l.length >= 25);
    const seen = new Set<string>();
    const doubled = lines.filter((l) => (seen.has(l) ? true : (seen.add(l), false)));
    expect(doubled).toEqual([]);
  });

  it("never shows a sentence of the user's twice", () => {
    const remark = "we will use postgres 16 only, no mysql";
    expect(shown.toLowerCase().split(remark).length - 1).toBeLessThanOrEqual(1);
  });

  it("shows no raw file body: at most a line of the compose file it wrote", () => {
    const fileLines = compose
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.length >= 12);
    const verbatim = fileLines.filter((l) => shown.includes(l));
    expect(verbatim.length).toBeLessThanOrEqual(1);
  });

  it("dates every item by its work, never by the day it was stored", () => {
    const dates = new Set([...shown.matchAll(/\b20\d\d-\d\d-\d\d\b/g)].map((m) => m[0]));
    expect(dates.size).toBeGreaterThan(0);
    for (const date of dates) expect(["2026-06-10", "2026-07-02"]).toContain(date);
  });
});
