// Issue 16: what Claude is shown at the start of a session is the best use of its budget. Seen
// before: the project state and the context as the same text twice, raw file contents (compose
// files, Makefiles), a user's remark doubled, the same failure as several snippets, and snippets
// dated the day the transcript reached the platform while the work was months earlier. These
// sessions carry each of those shapes; the injection must show none of them. A file a session
// wrote shows as what it is for, in one line ("created scripts/backup.sh: nightly pg_dump ..."):
// from the newest session in its digest, from older ones as snippets.
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

/** A second project: its scripts and build files, written over two sessions. */
const toolsProject = "0190f5c8-0000-7000-8000-00000000a0a2";
const toolsScope = { ...scope, projectId: toolsProject, repository: "github.com/acme/portal" };

const backupScript = [
  "#!/usr/bin/env bash",
  "set -euo pipefail",
  "# Nightly pg_dump of the portal database to /srv/backup, keeps 7 days.",
  'if [ $# -ne 1 ]; then echo "Usage: $0 DATABASE" >&2; exit 2; fi',
  'pg_dump --format=custom "$1" > "/srv/backup/$1-$(date +%F).dump"',
  'find /srv/backup -name "*.dump" -mtime +7 -delete',
].join("\n");

const dockerfile = [
  "FROM python:3.12-slim",
  "WORKDIR /app",
  "COPY requirements.txt .",
  "RUN pip install --no-cache-dir -r requirements.txt",
  "COPY . .",
  "EXPOSE 8000",
  'CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000"]',
].join("\n");

const makefile = [
  "# Builds, tests and ships the portal image to the registry",
  "IMAGE = registry.acme.example/portal",
  "build:",
  "\tdocker build -t $(IMAGE):latest .",
  "test: build",
  "\tdocker run --rm $(IMAGE):latest pytest -q",
  "push: test",
  "\tdocker push $(IMAGE):latest",
].join("\n");

/** The portal's backup script and image, in May. */
function portalImageSession(): string {
  const w = new TranscriptWriter({ sessionId: "quality-0003", cwd: "/home/tech/portal", start: new Date("2026-05-04T10:00:00Z") });
  w.prompt("Containerize the client portal and back up its database every night.")
    .say("Let me create a backup script first.")
    .write("/home/tech/portal/scripts/backup.sh", backupScript)
    .say("Now the image for the portal.")
    .write("/home/tech/portal/Dockerfile", dockerfile)
    .bash("docker build -t portal:dev .", "Successfully tagged portal:dev")
    .say("The portal image builds; the backup script is in scripts/backup.sh.");
  return w.jsonl();
}

/** What `make test` printed: long enough that the session's summary has room for its files. */
const testRun = [
  ...Array.from({ length: 60 }, (_, i) => `tests/test_portal.py::test_case_${i} PASSED [${Math.round(((i + 1) * 100) / 60)}%]`),
  "60 passed in 3.1s",
].join("\n");

/** The portal's build and release, in June: the newest session of its project. */
function portalReleaseSession(): string {
  const w = new TranscriptWriter({ sessionId: "quality-0004", cwd: "/home/tech/portal", start: new Date("2026-06-20T10:00:00Z") });
  w.prompt("Add a Makefile so anyone can build, test and push the portal image.")
    .write("/home/tech/portal/Makefile", makefile)
    .bash("make test", testRun)
    .say("make build, make test and make push now drive the portal image.");
  return w.jsonl();
}

let stack: RecallStack;
let shown: string;
let portalShown: string;

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
  for (const [claudeSessionId, transcript] of [
    ["quality-0003", portalImageSession()],
    ["quality-0004", portalReleaseSession()],
  ] as const) {
    expect((await ingest({ scope: toolsScope, claudeSessionId, transcript })).status).toBe("stored");
  }
  portalShown = (await call(stack.memory, "recall", RecallRequest.fromPartial({ scope: { projectId: toolsProject, clientId: client } })))
    .text;
  if (process.env["SHOW_INJECTION"]) console.log(portalShown);
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

  it("shows a compose file an older session wrote as what it runs", () => {
    expect(shown).toContain(
      "created billing/docker-compose.yml: compose file for the billing app with a postgres 16 database and the app on port 8443; " +
        "services db (postgres:16-alpine), app (ghcr.io/acme/billing:2.4.1, 8443:8443)",
    );
  });

  it("dates every item by its work, never by the day it was stored", () => {
    const dates = new Set([...shown.matchAll(/\b20\d\d-\d\d-\d\d\b/g)].map((m) => m[0]));
    expect(dates.size).toBeGreaterThan(0);
    for (const date of dates) expect(["2026-06-10", "2026-07-02"]).toContain(date);
  });
});

/** Lines of a body as a reader would spot them copied: trimmed, long enough to be telling. */
const bodyLines = (body: string) =>
  body
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length >= 12);

describe("the SessionStart injection of files a session wrote", () => {
  it("shows the newest session's Makefile as its purpose line, in the session's digest", () => {
    expect(portalShown).toContain(
      "  · created Makefile: Builds, tests and ships the portal image to the registry; targets build, test, push",
    );
  });

  it("never shows a file's purpose twice", () => {
    expect(portalShown.split("created Makefile:").length - 1).toBe(1);
    expect(portalShown.split("created scripts/backup.sh:").length - 1).toBe(1);
  });

  it("shows an older session's script and Dockerfile as their purpose lines", () => {
    expect(portalShown).toContain(
      "created scripts/backup.sh: Nightly pg_dump of the portal database to /srv/backup, keeps 7 days; usage: <script> DATABASE",
    );
    expect(portalShown).toContain("created Dockerfile: FROM python:3.12-slim; EXPOSE 8000; runs gunicorn portal.wsgi --bind 0.0.0.0:8000");
  });

  it("shows no file's body: at most its header line", () => {
    for (const body of [backupScript, dockerfile, makefile]) {
      expect(bodyLines(body).filter((l) => portalShown.includes(l)).length).toBeLessThanOrEqual(1);
    }
  });
});
