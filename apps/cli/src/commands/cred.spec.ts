import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { cliMain } from "../cli-main";
import { writeConfig } from "../local/cli-config";
import { mspPaths } from "../local/msp-home";
import { tempDir } from "../test-support/temp-dirs";
import type { CredDeps } from "./cred";
import { credAddCommand, credListCommand, credRevealCommand, credRotateCommand, credShowCommand, credTotpCommand } from "./cred";
import { credentialFilter, credentialTable, credentialTypeEnum, expiresAtOf, shortTypeName, typeLabel } from "./cred-format";
import type { SecretSource } from "./cred-secret";
import { readSecret } from "./cred-secret";

const id = "01938a2b-1c2d-7e3f-8a4b-5c6d7e8f9a0b";
const secret = "correct horse battery staple";
const machineKey = "msp_machine_key";

const credential = {
  id,
  clientId: "01938a2b-0000-7000-8000-000000000001",
  credentialType: "CREDENTIAL_TYPE_PASSWORD",
  name: "Contoso DC01 local admin",
  username: "administrator",
  url: "https://dc01.contoso.local",
  host: "dc01.contoso.local",
  hasSecret: true,
  secretVersion: 1,
  rotatedAt: "2026-11-20T09:00:00Z",
  rotatedBy: "mike",
  isActive: true,
};

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

type Route = (seen: Seen) => { status?: number; json: unknown } | undefined;

/** A stand-in for the gateway: records every request and answers from `route` (404 for the rest). */
async function fakeGateway(route: Route) {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://gateway");
      const request: Seen = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      };
      seen.push(request);
      const answer = route(request) ?? { status: 404, json: { code: "not_found", message: `no route ${request.path}` } };
      res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The vault's answers, as the gateway gives them. */
const vaultRoutes: Route = (seen) => {
  const { method, path } = seen;
  if (method === "GET" && path === "/api/v1/credentials") return { json: { credentials: [credential], nextPageToken: "" } };
  if (method === "GET" && path === `/api/v1/credentials/${id}`) return { json: credential };
  if (method === "POST" && path === `/api/v1/credentials/${id}:reveal`)
    return { json: { id, secret, version: 1, username: "administrator" } };
  if (method === "POST" && path === "/api/v1/credentials")
    return { json: { ...credential, ...(seen.body as { credential: object }).credential } };
  if (method === "POST" && path === "/api/v1/credentials:generatePassword")
    return { json: { password: "Gen3rated!Pass", entropyBits: 150.4 } };
  if (method === "POST" && path === `/api/v1/credentials/${id}:rotate`) return { json: { ...credential, secretVersion: 2 } };
  if (method === "POST" && path === `/api/v1/credentials/${id}:totp`)
    return { json: { code: "123456", validUntil: "2026-12-01T10:00:30Z", periodSeconds: 30 } };
  return undefined;
};

function machineHome(server: string): string {
  const home = tempDir("msp-cred-");
  writeConfig(mspPaths(home).config, {
    server,
    machineId: "m1",
    machineName: "LAPTOP-3",
    fingerprint: "f",
    apiKey: machineKey,
    setupAt: new Date().toISOString(),
  });
  return home;
}

/** stdin piped with `text` (not a terminal); the prompt must not be used. */
function piped(text: string): SecretSource {
  return {
    stdin: Readable.from([Buffer.from(text, "utf8")]),
    stdinIsTTY: false,
    prompt: () => Promise.reject(new Error("no prompt expected")),
  };
}

/** A terminal on which the user types `answers`, one per prompt. */
function terminal(...answers: string[]): SecretSource & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    prompts,
    stdin: Readable.from([]),
    stdinIsTTY: true,
    prompt: (text) => {
      prompts.push(text);
      const answer = answers.shift();
      return answer === undefined ? Promise.reject(new Error("cancelled")) : Promise.resolve(answer);
    },
  };
}

const deps = (secrets: SecretSource, env: NodeJS.ProcessEnv = {}): CredDeps => ({
  secrets,
  env,
  now: () => Date.parse("2026-12-01T10:00:12.400Z"),
});

/** Captures what a command writes to stdout and stderr. */
async function captured(run: () => Promise<void>): Promise<{ stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

/** `msp <args>` in process: its output and exit code. */
async function msp(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  process.exitCode = 0;
  const output = await captured(() => cliMain(args));
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { ...output, exitCode };
}

let gateway: Awaited<ReturnType<typeof fakeGateway>>;
let home: string;

beforeEach(async () => {
  gateway = await fakeGateway(vaultRoutes);
  home = machineHome(gateway.url);
});

afterEach(() => gateway.close());

describe("credential types and filters", () => {
  it("maps the short forms (and hyphens, upper case, the enum name) to the JSON enum name and back", () => {
    expect(credentialTypeEnum("password")).toBe("CREDENTIAL_TYPE_PASSWORD");
    expect(credentialTypeEnum("api-key")).toBe("CREDENTIAL_TYPE_API_KEY");
    expect(credentialTypeEnum("SSH_KEY")).toBe("CREDENTIAL_TYPE_SSH_KEY");
    expect(credentialTypeEnum("CREDENTIAL_TYPE_TOTP_SEED")).toBe("CREDENTIAL_TYPE_TOTP_SEED");
    expect(shortTypeName("Connection-String")).toBe("connection_string");
    expect(shortTypeName("totp")).toBe("totp_seed");
    expect(typeLabel("CREDENTIAL_TYPE_OAUTH_CLIENT")).toBe("oauth_client");
    expect(typeLabel(undefined)).toBe("-");
    expect(() => credentialTypeEnum("pasword")).toThrow(/--type: "pasword" is not a credential type \(one of password, api_key, /);
    expect(() => credentialTypeEnum("unspecified")).toThrow(/not a credential type/);
    expect(() => credentialTypeEnum("constructor")).toThrow(/not a credential type/);
  });

  it("builds the List filter from --client, --type and --filter, joined with AND", () => {
    expect(credentialFilter({})).toBe("");
    expect(credentialFilter({ client: "c1", type: "password" })).toBe('client_id = "c1" AND credential_type = "password"');
    expect(credentialFilter({ type: "API_KEY", filter: 'host = "dc01"' })).toBe('credential_type = "api_key" AND host = "dc01"');
    expect(credentialFilter({ client: 'a"b' })).toBe('client_id = "a\\"b"');
  });

  it("reads --expires as a date or an ISO date and time, and refuses anything else", () => {
    expect(expiresAtOf("2027-03-31")).toBe("2027-03-31T00:00:00.000Z");
    expect(expiresAtOf("2027-03-31T18:00:00+02:00")).toBe("2027-03-31T16:00:00.000Z");
    expect(() => expiresAtOf("next tuesday")).toThrow(/--expires: "next tuesday" is not a date/);
    expect(() => expiresAtOf("2027-13-45")).toThrow(/is not a date/);
  });

  it("prints the list as a table with a secret column and the rotation date", () => {
    const lines = credentialTable([credential, { id: "x", name: "old", credentialType: "CREDENTIAL_TYPE_TOKEN", isActive: false }]);
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+USERNAME\s+HOST\s+ID\s+SECRET\s+ROTATED$/);
    expect(lines[1]).toMatch(
      /^Contoso DC01 local admin\s+password\s+administrator\s+dc01\.contoso\.local\s+01938a2b-\S+\s+yes\s+2026-11-20$/,
    );
    expect(lines[2]).toMatch(/^old \(archived\)\s+token\s+-\s+-\s+x\s+no\s+-$/);
    expect(credentialTable([])).toEqual(["No credentials match."]);
  });
});

describe("reading a secret", () => {
  it("takes the whole of stdin with one trailing newline removed", async () => {
    await expect(readSecret(piped("s3cret\n"), "x")).resolves.toBe("s3cret");
    await expect(readSecret(piped("s3cret\r\n"), "x")).resolves.toBe("s3cret");
    await expect(readSecret(piped("line one\nline two\n\n"), "x")).resolves.toBe("line one\nline two\n");
    await expect(readSecret(piped("  spaces kept  "), "x")).resolves.toBe("  spaces kept  ");
  });

  it("refuses an empty stdin", async () => {
    await expect(readSecret(piped(""), "x")).rejects.toThrow(/the secret on stdin is empty/);
    await expect(readSecret(piped("\n"), "x")).rejects.toThrow(/the secret on stdin is empty/);
  });

  it("on a terminal, asks twice and compares", async () => {
    const same = terminal("hunter2", "hunter2");
    await expect(readSecret(same, "DC01")).resolves.toBe("hunter2");
    expect(same.prompts).toEqual(["Secret for DC01: ", "The same secret again: "]);
    await expect(readSecret(terminal("hunter2", "hunter3"), "DC01")).rejects.toThrow(/the two entries differ/);
    await expect(readSecret(terminal(""), "DC01")).rejects.toThrow(/the secret is empty/);
    await expect(readSecret(terminal(), "DC01")).rejects.toThrow(/secret entry cancelled/);
  });
});

describe("msp cred over REST", () => {
  it("list sends the filter and the machine key, and prints a table or JSON", async () => {
    const { stdout } = await captured(() => credListCommand({ home, client: "c1", type: "password" }, deps(piped(""))));
    expect(gateway.seen).toHaveLength(1);
    const [request] = gateway.seen;
    expect(request).toMatchObject({ method: "GET", path: "/api/v1/credentials", authorization: `Bearer ${machineKey}` });
    expect(request!.query.get("filter")).toBe('client_id = "c1" AND credential_type = "password"');
    expect(stdout).toMatch(/Contoso DC01 local admin\s+password\s+administrator/);

    const json = await captured(() => credListCommand({ home, json: true }, deps(piped(""))));
    expect(JSON.parse(json.stdout)).toEqual({ credentials: [credential] });
    expect(gateway.seen[1]!.query.get("filter")).toBe("");
  });

  it("list follows next_page_token", async () => {
    await gateway.close();
    gateway = await fakeGateway(({ query }) =>
      query.get("pageToken") === "p2"
        ? { json: { credentials: [{ ...credential, id: "second", name: "B" }] } }
        : { json: { credentials: [credential], nextPageToken: "p2" } },
    );
    home = machineHome(gateway.url);
    const { stdout } = await captured(() => credListCommand({ home, json: true }, deps(piped(""))));
    expect((JSON.parse(stdout) as { credentials: unknown[] }).credentials).toHaveLength(2);
    expect(gateway.seen.map((seen) => seen.query.get("pageToken"))).toEqual([null, "p2"]);
  });

  it("show gets one credential by id", async () => {
    const { stdout } = await captured(() => credShowCommand(id, { home }, deps(piped(""))));
    expect(gateway.seen[0]).toMatchObject({ method: "GET", path: `/api/v1/credentials/${id}` });
    expect(stdout).toMatch(/^Name\s+Contoso DC01 local admin$/m);
    expect(stdout).toMatch(/^Secret\s+stored \(version 1\), changed 2026-11-20T09:00:00Z by mike$/m);
  });

  it("reveal posts the reason and prints only the secret and a newline", async () => {
    const { stdout, stderr } = await captured(() => credRevealCommand(id, { home, reason: "reset the backup job" }, deps(piped(""))));
    expect(stdout).toBe(`${secret}\n`);
    expect(stderr).toBe("");
    expect(gateway.seen[0]).toMatchObject({
      method: "POST",
      path: `/api/v1/credentials/${id}:reveal`,
      body: { reason: "reset the backup job" },
    });

    const json = await captured(() => credRevealCommand(id, { home, reason: "again", json: true }, deps(piped(""))));
    expect(JSON.parse(json.stdout)).toEqual({ id, secret, version: 1, username: "administrator" });
  });

  it("reveal without a reason is refused before anything is sent", async () => {
    await expect(credRevealCommand(id, { home }, deps(piped("")))).rejects.toThrow(/--reason TEXT is required/);
    await expect(credRevealCommand(id, { home, reason: "   " }, deps(piped("")))).rejects.toThrow(/--reason TEXT is required/);
    expect(gateway.seen).toHaveLength(0);
  });

  it("add sends the credential with its enum type and the secret read from stdin", async () => {
    const { stdout } = await captured(() =>
      credAddCommand(
        {
          home,
          name: "Contoso DC01 local admin",
          type: "password",
          username: "administrator",
          url: "https://dc01.contoso.local",
          client: credential.clientId,
          notes: "RDP through the jump host",
          expires: "2027-03-31",
        },
        deps(piped(`${secret}\n`)),
      ),
    );
    expect(gateway.seen).toHaveLength(1);
    expect(gateway.seen[0]).toMatchObject({ method: "POST", path: "/api/v1/credentials" });
    expect(gateway.seen[0]!.body).toEqual({
      credential: {
        name: "Contoso DC01 local admin",
        credentialType: "CREDENTIAL_TYPE_PASSWORD",
        username: "administrator",
        url: "https://dc01.contoso.local",
        clientId: credential.clientId,
        accessNotes: "RDP through the jump host",
        expiresAt: "2027-03-31T00:00:00.000Z",
      },
      secret,
    });
    expect(stdout).toContain(`Created password credential "Contoso DC01 local admin" (${id}).`);
    expect(stdout).not.toContain(secret);
  });

  it("add asks on the terminal when stdin is one", async () => {
    const typed = terminal("hunter2", "hunter2");
    await captured(() => credAddCommand({ home, name: "Wifi", type: "shared-secret" }, deps(typed)));
    expect(gateway.seen[0]!.body).toEqual({
      credential: { name: "Wifi", credentialType: "CREDENTIAL_TYPE_SHARED_SECRET" },
      secret: "hunter2",
    });
  });

  it("add --generate asks the vault for a password, stores it, and never prints it", async () => {
    const human = await captured(() =>
      credAddCommand({ home, name: "Portal", type: "password", generate: true, length: "32" }, deps(piped(""))),
    );
    expect(gateway.seen.map((seen) => `${seen.method} ${seen.path}`)).toEqual([
      "POST /api/v1/credentials:generatePassword",
      "POST /api/v1/credentials",
    ]);
    expect(gateway.seen[0]!.body).toEqual({ length: 32 });
    expect(gateway.seen[1]!.body).toMatchObject({ secret: "Gen3rated!Pass" });
    expect(human.stdout).toContain(`msp cred reveal ${id} --reason TEXT`);
    const json = await captured(() =>
      credAddCommand({ home, name: "Portal", type: "password", generate: true, json: true }, deps(piped(""))),
    );
    expect(gateway.seen[2]!.body).toEqual({});
    for (const output of [human.stdout, human.stderr, json.stdout, json.stderr]) expect(output).not.toContain("Gen3rated!Pass");
  });

  it("add checks its options before reading anything or calling the platform", async () => {
    const none = deps(piped(secret));
    await expect(credAddCommand({ home, type: "password" }, none)).rejects.toThrow(/--name NAME is required/);
    await expect(credAddCommand({ home, name: "x" }, none)).rejects.toThrow(/--type TYPE is required/);
    await expect(credAddCommand({ home, name: "x", type: "passwd" }, none)).rejects.toThrow(/--type: "passwd" is not a credential type/);
    await expect(credAddCommand({ home, name: "x", type: "password", length: "20" }, none)).rejects.toThrow(
      /--length goes with --generate/,
    );
    await expect(credAddCommand({ home, name: "x", type: "password", generate: true, length: "2x" }, none)).rejects.toThrow(
      /--length: "2x" is not a whole number/,
    );
    expect(gateway.seen).toHaveLength(0);
  });

  it("add refuses an empty secret on stdin and sends nothing", async () => {
    await expect(credAddCommand({ home, name: "x", type: "password" }, deps(piped("\n")))).rejects.toThrow(/the secret on stdin is empty/);
    expect(gateway.seen).toHaveLength(0);
  });

  it("rotate sends the new secret and the reason", async () => {
    const { stdout } = await captured(() => credRotateCommand(id, { home, reason: "technician left" }, deps(piped("n3w-secret\n"))));
    expect(gateway.seen[0]).toMatchObject({
      method: "POST",
      path: `/api/v1/credentials/${id}:rotate`,
      body: { secret: "n3w-secret", reason: "technician left" },
    });
    expect(stdout).toContain("now version 2");
    expect(stdout).not.toContain("n3w-secret");
  });

  it("rotate --generate uses a generated password", async () => {
    await captured(() => credRotateCommand(id, { home, generate: true }, deps(piped(""))));
    expect(gateway.seen.map((seen) => seen.path)).toEqual(["/api/v1/credentials:generatePassword", `/api/v1/credentials/${id}:rotate`]);
    expect(gateway.seen[1]!.body).toEqual({ secret: "Gen3rated!Pass", reason: "" });
  });

  it("totp prints the code on stdout and the seconds left on stderr, or both in JSON", async () => {
    const human = await captured(() => credTotpCommand(id, { home, reason: "sign in to the portal" }, deps(piped(""))));
    expect(human).toEqual({ stdout: "123456\n", stderr: "valid for 18 more seconds\n" });
    expect(gateway.seen[0]).toMatchObject({
      method: "POST",
      path: `/api/v1/credentials/${id}:totp`,
      body: { reason: "sign in to the portal" },
    });
    const json = await captured(() => credTotpCommand(id, { home, json: true }, deps(piped(""))));
    expect(JSON.parse(json.stdout)).toEqual({ code: "123456", validUntil: "2026-12-01T10:00:30Z", periodSeconds: 30, secondsLeft: 18 });
    expect(gateway.seen[1]!.body).toEqual({ reason: "" });
  });

  it("MSP_TOKEN replaces the machine key; --user signs in with MSP_PASSWORD", async () => {
    await captured(() => credShowCommand(id, { home }, deps(piped(""), { MSP_TOKEN: "personal-token" })));
    expect(gateway.seen[0]!.authorization).toBe("Bearer personal-token");

    await gateway.close();
    gateway = await fakeGateway((seen) =>
      seen.path === "/api/v1/auth/token" ? { json: { accessToken: "user-access-token" } } : vaultRoutes(seen),
    );
    home = machineHome(gateway.url);
    await captured(() => credShowCommand(id, { home, user: "mike" }, deps(piped(""), { MSP_PASSWORD: "pw" })));
    expect(gateway.seen[0]).toMatchObject({ path: "/api/v1/auth/token", body: { username: "mike", password: "pw" } });
    expect(gateway.seen[1]!.authorization).toBe("Bearer user-access-token");
    await expect(credShowCommand(id, { home, user: "mike" }, deps(piped("")))).rejects.toThrow(/no terminal to ask for the password on/);
  });
});

describe("msp cred through the command line", () => {
  it("has no --secret option: a secret on the command line is refused before anything is read or sent", async () => {
    for (const args of [
      ["cred", "add", "--name", "x", "--type", "password", "--secret", "hunter2"],
      ["cred", "add", "--name", "x", "--type", "password", "--secret=hunter2"],
      ["cred", "add", "--name", "x", "--type", "password", "--password", "hunter2"],
      ["cred", "rotate", id, "--secret", "hunter2"],
    ]) {
      const result = await msp([...args, "--home", home]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(
        /^msp: secrets are never taken from the command line .*pipe the secret on stdin .* or type it at the prompt/,
      );
      expect(result.stderr).not.toContain("hunter2");
    }
    // Nor as an extra argument.
    const extra = await msp(["cred", "rotate", id, "hunter2", "--home", home]);
    expect(extra.exitCode).not.toBe(0);
    expect(extra.stdout + extra.stderr).not.toContain("hunter2");
    expect(gateway.seen).toHaveLength(0);
    expect(existsSync(mspPaths(home).log)).toBe(false);
  });

  it("the help names no secret option", async () => {
    const { stdout } = await msp(["cred", "add", "--help"]);
    expect(stdout).toContain("--generate");
    expect(stdout).not.toMatch(/--secret|--password/);
  });

  it("reveal prints the secret alone, and writes it to no file in the config folder", async () => {
    const result = await msp(["cred", "reveal", id, "--reason", "reset the backup job", "--home", home]);
    expect(result).toEqual({ stdout: `${secret}\n`, stderr: "", exitCode: 0 });
    const log = mspPaths(home).log;
    if (existsSync(log)) expect(readFileSync(log, "utf8")).not.toContain(secret);
  });

  it("reveal without --reason: a clear one-line error, exit code 1", async () => {
    const result = await msp(["cred", "reveal", id, "--home", home]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^msp: --reason TEXT is required: say why you need the secret/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    [400, "invalid_argument", "reason: must be at least 3 characters", /^msp: refused: reason: must be at least 3 characters\n$/],
    [
      403,
      "permission_denied",
      "the API key lacks scope vault:reveal",
      /^msp: permission denied: the API key lacks scope vault:reveal \(the machine key msp setup stored carries only the hooks' scopes: add --user NAME, or set MSP_TOKEN .*\)\n$/,
    ],
    [404, "not_found", `credential ${id} not found`, new RegExp(`^msp: credential ${id} not found\n$`)],
  ])("a %i from the gateway is one line naming what was wrong, exit code 1, nothing logged", async (status, code, message, expected) => {
    await gateway.close();
    gateway = await fakeGateway(() => ({ status, json: { code, message, details: [] } }));
    home = machineHome(gateway.url);
    const result = await msp(["cred", "reveal", id, "--reason", "ab", "--home", home]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    expect(existsSync(mspPaths(home).log)).toBe(false);

    const json = await msp(["cred", "show", id, "--json", "--home", home]);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code, message: expect.stringContaining(message) } });
  });

  it("a credential id that is not a UUID is refused before anything is sent", async () => {
    const result = await msp(["cred", "show", "dc01", "--home", home]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^msp: "dc01" is not a credential id/);
    expect(gateway.seen).toHaveLength(0);
  });

  it("list --type takes the short form and refuses an unknown type", async () => {
    const ok = await msp(["cred", "list", "--type", "ssh-key", "--json", "--home", home]);
    expect(ok.exitCode).toBe(0);
    expect(gateway.seen[0]!.query.get("filter")).toBe('credential_type = "ssh_key"');
    const bad = await msp(["cred", "list", "--type", "sshkey", "--home", home]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^msp: --type: "sshkey" is not a credential type/);
  });
});
