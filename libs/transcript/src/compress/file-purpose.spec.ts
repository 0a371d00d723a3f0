import { compressTranscript } from "../compress-transcript";
import { parseTranscript } from "../parse-transcript";

/** A small synthetic Claude Code session: prompts, assistant text, file tools and Bash, with their results. */
class Session {
  private readonly records: object[] = [];
  private tools = 0;

  prompt(text: string): this {
    return this.push("user", { role: "user", content: text });
  }

  say(text: string): this {
    return this.push("assistant", { role: "assistant", content: [{ type: "text", text }] });
  }

  write(path: string, content: string, created = true): this {
    return this.tool(
      "Write",
      { file_path: path, content },
      created ? `File created successfully at: ${path}` : `The file ${path} has been updated.`,
      {
        type: created ? "create" : "update",
        filePath: path,
        content,
      },
    );
  }

  edit(path: string, oldString: string, newString: string): this {
    return this.tool("Edit", { file_path: path, old_string: oldString, new_string: newString }, `The file ${path} has been updated.`);
  }

  bash(command: string, output = ""): this {
    return this.tool("Bash", { command }, output, { stdout: output, stderr: "", interrupted: false });
  }

  events() {
    return parseTranscript(this.records.map((record) => JSON.stringify(record)).join("\n")).events;
  }

  private tool(name: string, input: object, result: string, toolUseResult?: object): this {
    this.tools += 1;
    const id = `toolu_${this.tools}`;
    this.push("assistant", { role: "assistant", content: [{ type: "tool_use", id, name, input }] });
    return this.push(
      "user",
      { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: result }] },
      toolUseResult ? { toolUseResult } : {},
    );
  }

  private push(type: string, message: object, extra: object = {}): this {
    const index = this.records.length;
    this.records.push({
      type,
      message,
      uuid: `u${index}`,
      sessionId: "5e55i0n0-0000-4000-8000-000000000001",
      cwd: "/home/tech/msp-ops",
      timestamp: new Date(Date.UTC(2026, 5, 1, 9, index)).toISOString(),
      ...extra,
    });
    return this;
  }
}

const backupScript = [
  "#!/usr/bin/env bash",
  "set -euo pipefail",
  "# Nightly pg_dump of the msp database to /srv/backup, keeps 7 days.",
  'if [ $# -ne 1 ]; then echo "Usage: $0 DATABASE" >&2; exit 2; fi',
  'pg_dump --format=custom "$1" > "/srv/backup/$1-$(date +%F).dump"',
  'find /srv/backup -name "*.dump" -mtime +7 -delete',
].join("\n");

const dockerfile = [
  "FROM python:3.12-slim",
  "WORKDIR /app",
  "COPY . .",
  "RUN pip install -r requirements.txt",
  "EXPOSE 8000",
  'CMD ["python", "-m", "portal"]',
].join("\n");

const makefile = [
  "# Builds and ships the client portal image",
  "IMAGE = portal",
  "build:",
  "\tdocker build -t $(IMAGE) .",
  "push: build",
  "\tdocker push $(IMAGE)",
  "test:",
  "\tpytest -q",
].join("\n");

const compose = [
  "services:",
  ...[1, 2, 3, 4, 5].flatMap((n) => [`  node${n}:`, "    image: alpine:3.20", "    ports:", `      - "3033${n}:30333"`]),
].join("\n");

/** A line of a body as a reader would spot it copied: trimmed, long enough to be telling. */
const bodyLines = (body: string) =>
  body
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length >= 12);

describe("the purpose line of each file a session writes", () => {
  const session = compressTranscript(
    new Session()
      .prompt("Set up nightly backups of the msp database and a container image for the client portal.")
      .say("Let me create a backup script first.")
      .write("/home/tech/msp-ops/scripts/backup.sh", backupScript)
      .say("Now the image for the portal.")
      .write("/home/tech/msp-ops/portal/Dockerfile", dockerfile)
      .write("/home/tech/msp-ops/portal/Makefile", makefile)
      .say("I'll write rotate.sh to compress the portal logs every Sunday and drop those older than 8 weeks.")
      .write("/home/tech/msp-ops/scripts/rotate.sh", 'gzip /var/log/portal/*.log\nfind /var/log/portal -name "*.gz" -mtime +56 -delete')
      .write("/home/tech/msp-ops/scripts/notes.txt", "remember to check the rotation on Monday")
      .write("/tmp/scratch.sh", "# scratch\necho hi")
      .say("Let me create docker-compose-simple.yml to run a 5-node test network.")
      .write("/home/tech/msp-ops/docker-compose-simple.yml", compose)
      .say("Now I'll fix the listen port in portal/nginx.conf so the portal answers on 8443.")
      .edit("/home/tech/msp-ops/portal/nginx.conf", "listen 80;", "listen 8443 ssl;")
      .edit("/home/tech/msp-ops/portal/settings.yml", "port: 80", "port: 8443")
      .bash("chmod +x scripts/backup.sh scripts/rotate.sh")
      .events(),
  );

  it("gives a script the words of its own header and its usage line", () => {
    expect(session.filePurposes).toContain(
      "created scripts/backup.sh: Nightly pg_dump of the msp database to /srv/backup, keeps 7 days; usage: <script> DATABASE",
    );
  });

  it("gives a Dockerfile its images, ports and command, and a Makefile its header and targets", () => {
    expect(session.filePurposes).toContain("created portal/Dockerfile: FROM python:3.12-slim; EXPOSE 8000; runs python -m portal");
    expect(session.filePurposes).toContain("created portal/Makefile: Builds and ships the client portal image; targets build, push, test");
  });

  it("takes the assistant's sentence about a file that says nothing itself", () => {
    expect(session.filePurposes).toContain(
      "created scripts/rotate.sh: compress the portal logs every Sunday and drop those older than 8 weeks",
    );
  });

  it("puts the assistant's sentence before a file's outline", () => {
    expect(session.filePurposes).toContain(
      "created docker-compose-simple.yml: run a 5-node test network; services node1 (alpine:3.20, 30331:30333), node2 (alpine:3.20, 30332:30333), node3…",
    );
  });

  it("gives no purpose to a file the sentence before it was not about, and leaves out temporary files", () => {
    expect(session.filePurposes.join("\n")).not.toMatch(/notes\.txt|scratch/);
    expect(session.filesCreated).toContain("scripts/notes.txt");
  });

  it("gives an edit the sentence around it, else the line it replaced (a one-line edit) or what its new text sets", () => {
    expect(session.filePurposes).toContain(
      "changed portal/nginx.conf: fix the listen port in portal/nginx.conf so the portal answers on 8443",
    );
    expect(session.filePurposes).toContain("changed portal/settings.yml: `port: 80` -> `port: 8443`");
  });

  it("shows the purpose lines in the dense summary, never the files' bodies", () => {
    expect(session.denseSummary).toContain("- created scripts/backup.sh: Nightly pg_dump of the msp database");
    expect(session.denseSummary).toContain("- created portal/Dockerfile: FROM python:3.12-slim; EXPOSE 8000");
    const shown = JSON.stringify({ summary: session.denseSummary, snippets: session.snippets });
    for (const body of [backupScript, dockerfile, makefile]) {
      // The header comment is the one line of a body a purpose may quote.
      expect(bodyLines(body).filter((line) => shown.includes(line)).length).toBeLessThanOrEqual(1);
    }
  });

  it("keeps each purpose line dense: at most 120 characters after the path", () => {
    for (const line of session.filePurposes) expect(line.slice(line.indexOf(": ") + 2).length).toBeLessThanOrEqual(120);
  });

  it("keeps scripts as command snippets and Dockerfiles and Makefiles as configuration snippets, by purpose", () => {
    expect(session.snippets).toContainEqual({
      category: "command",
      title: "created scripts/backup.sh",
      content: "created scripts/backup.sh: Nightly pg_dump of the msp database to /srv/backup, keeps 7 days; usage: <script> DATABASE",
    });
    expect(session.snippets).toContainEqual({
      category: "configuration",
      title: "created portal/Makefile",
      content: "created portal/Makefile: Builds and ships the client portal image; targets build, push, test",
    });
  });
});

describe("file purposes and secrets", () => {
  const SECRET = "Tr0ub4dor&3xyz";
  const redact = (text: string) => text.split(SECRET).join("[REDACTED:test]");
  const session = compressTranscript(
    new Session()
      .prompt("Store the relay credentials and write the relay check.")
      .say(`I'll create check_relay.py that logs in with password ${SECRET} and sends a test mail.`)
      .write("/home/tech/msp-ops/check_relay.py", `import smtplib\nPASSWORD = "${SECRET}"\ndef check():\n    pass\n`)
      .write("/home/tech/msp-ops/.env", `# relay login\nRELAY_PASSWORD=${SECRET}\n`)
      .bash(`cat > /home/tech/msp-ops/relay.conf <<'EOF'\n# Relay for app01, password ${SECRET}\nhost = mail.acme.example:587\nEOF`)
      .events(),
    { redact },
  );

  it("lets no secret into a purpose line, snippet or summary", () => {
    const everything = JSON.stringify(session);
    expect(everything).not.toContain(SECRET);
    expect(session.filePurposes).toContain(
      "created check_relay.py: logs in with password [REDACTED:test] and sends a test mail; defines check",
    );
  });

  it("never reads a purpose from a secret store's text", () => {
    expect(session.filePurposes.join("\n")).not.toContain(".env");
    expect(session.snippets.map((snippet) => snippet.title)).not.toContain("created .env");
  });

  it("reads a file written by a here-document like one written by a tool", () => {
    expect(session.filePurposes).toContain(
      "created relay.conf: Relay for app01, password [REDACTED:test]; sections host; values mail.acme.example:587",
    );
  });
});
