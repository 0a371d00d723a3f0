import { redact, redactText } from "./index";
import { syntheticText } from "./testing";

// What must survive redaction: content identifiers, signatures, images, paths, code and prose.
// Redacting any of these would destroy what a transcript says without protecting anything.

const base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const hex = "0123456789abcdef";

function expectUnchanged(text: string): void {
  expect(redactText(text)).toEqual({ text, redactions: [], total: 0 });
}

describe("redaction leaves non-secrets alone", () => {
  it("keeps the base64 signature of a thinking block, in raw JSONL and in plain JSON", () => {
    // Base64 may happen to hold a token shape (here an AWS key id between "+" and "/"): the
    // signature is protected as a whole, not just lucky.
    const signature = `EqQB${syntheticText("signature", 300, base64Chars)}+AKIAQWERTYUIOPASDFGH/${syntheticText("tail", 300, base64Chars)}==`;
    const record = JSON.stringify({
      type: "assistant",
      message: { content: [{ type: "thinking", thinking: "The user wants the nginx config checked.", signature }] },
    });
    expectUnchanged(record);
    expectUnchanged(JSON.stringify({ signature }, null, 2));
    expectUnchanged(`{\\"type\\":\\"thinking\\",\\"signature\\":\\"${signature}\\"}`);
  });

  it.each([
    ["sha1", `sha1sum: ${syntheticText("sha1", 40, hex)}  backup.tar`],
    ["sha256", `sha256: ${syntheticText("sha256", 64, hex)}`],
    ["sha512", `checksum = "${syntheticText("sha512", 128, hex)}"`],
    ["git commit id", `commit ${syntheticText("commit", 40, hex)}\nAuthor: Dev <dev@example.com>`],
    ["short commit id", `git revert ${syntheticText("short", 7, hex)} --no-edit`],
    ["docker digest", `image: nginx@sha256:${syntheticText("digest", 64, hex)}`],
    ["npm integrity", `"integrity": "sha512-${syntheticText("integrity", 86, base64Chars)}=="`],
    ["key fingerprint", `fingerprint: SHA256:${syntheticText("fp", 43, base64Chars)}`],
    ["hash under a key", `cache_key_hash: ${syntheticText("cache", 64, hex)}`],
  ])("keeps a content hash (%s)", (_name, text) => {
    expectUnchanged(text);
  });

  it("keeps UUIDs, also under id keys and in JSONL metadata", () => {
    expectUnchanged('{"sessionId":"0b6f4f1e-8a4c-4f5e-9c1d-2e3f4a5b6c7d","uuid":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}');
    expectUnchanged("session_id = 3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    expectUnchanged(
      '"requestId":"req_011CUabcDEFghiJKLmnoPQRs","id":"toolu_01AN2dmsDK2ZMYLjBCm5hUrh","message_id":"msg_01XyZ9AbCdEfGhIjKlMnOpQr"',
    );
  });

  it("keeps file paths and URLs without credentials", () => {
    expectUnchanged("key_file: /etc/ssl/private/acme-2025.key");
    expectUnchanged("--ssl-key=/workspace/ssl/key.pem --ssl-cert=/workspace/ssl/cert.pem");
    expectUnchanged("TOKEN_FILE=/run/secrets/github_token");
    expectUnchanged("git clone git@github.com:acme/infra.git && curl https://example.com:8443/path?x=1");
    expectUnchanged("ssh -i ~/.ssh/id_ed25519 root@203.0.113.7");
  });

  it("keeps ordinary long words and identifiers, also in assignment position", () => {
    expectUnchanged("key: ThisIsAVeryLongIdentifierNameWithoutSecrets");
    expectUnchanged("const primaryKeyColumnName = customerAccountIdentifier;");
    expectUnchanged("sort_key = created_at_descending_then_name");
    expectUnchanged("internationalization_localization_configuration");
    expectUnchanged("master_key: PrivateKey,");
  });

  it("keeps base64 image data under a data key", () => {
    const image = `iVBORw0KGgo${syntheticText("png", 2000, base64Chars)}`;
    expectUnchanged(JSON.stringify({ type: "image", source: { type: "base64", media_type: "image/png", data: image } }));
  });

  it("keeps version strings", () => {
    expectUnchanged("node v20.17.0, npm 11.6.2, typescript@5.9.3, image: postgres:16.4-alpine, version: 1.14.3-rc.1+build.7");
  });

  it.each([
    "Please enter your password",
    "the password is stored in the vault",
    "Password: Use your DigitalOcean root password",
    "sudo: a terminal is required to read the password; either use the -S option",
    "[sudo] password for alice:",
    "Change all passwords and enable 2FA everywhere",
    "Set BIOS password",
    "Password: (check .env file)",
    "use --password to set it interactively",
    'char *keywords[] = {"password", "credit card", "secret"};',
  ])("keeps prose about passwords without a value: %s", (text) => {
    expectUnchanged(text);
  });

  it.each([
    "password: string;",
    "def login(user: str, password: str) -> bool:",
    "connect(host=host, user=user, password=password)",
    "const password = process.env.DB_PASSWORD;",
    "PASSWORD=$DB_PASSWORD",
    "DB_PASSWORD=${DB_PASSWORD}",
    "DB_PASSWORD=$(openssl rand -hex 16)",
    "token: ${{ secrets.GITHUB_TOKEN }}",
    "JWT_SECRET=${JWT_SECRET}",
    "password: <your-password>",
    "password: ********",
    "self.password = getpass.getpass()",
    'echo "$PASS" | docker login -u me --password-stdin',
    "curl -H 'Authorization: Bearer $TOKEN' https://api",
    "secret = int.from_bytes(master_key, 'big')",
    'const token = req.headers.authorization?.split(" ")[1];',
    "const secret = process.env.JWT_SECRET!;",
    "api_key=settings.OPENAI_API_KEY,",
    "token = os.environ['GITHUB_TOKEN']",
    "password: !vault |",
    "MasterUserPassword: !Ref DbPassword",
    "API_KEY=your_api_key_here",
    "OPENAI_API_KEY=<your key>",
    "token: invalid_signature",
    "Authentication token: expired",
    "the API key: you can find it in the dashboard",
  ])("keeps code that refers to a secret without holding it: %s", (text) => {
    expectUnchanged(text);
  });

  it("keeps sudoers rules, public keys and token counts", () => {
    expectUnchanged('echo "admin ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/admin');
    expectUnchanged(`androidboot.qemu.adb.pubkey=QAAAA${syntheticText("pubkey", 300, base64Chars)}`);
    expectUnchanged(`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${syntheticText("ssh-pub", 43, base64Chars)} user@laptop`);
    expectUnchanged('"usage":{"input_tokens":6,"cache_creation_input_tokens":1405,"output_tokens":139}');
    expectUnchanged("MAX_TOKENS=4096 TOKEN_EXPIRY=3600 SECRET_NAME=db-secret");
  });

  it("keeps Docker and ports that look like user:password", () => {
    expectUnchanged("docker run -p 8080:80 -u 1000:1000 -c 512 nginx:1.27");
    expectUnchanged("ttyd -c USER[:PASSWORD] bash");
  });

  it("leaves a text of only non-secrets byte for byte identical through redact()", () => {
    const text = "uuid 3f2504e0-4f89-11d3-9a0c-0305e82c3301, commit 9fceb02d0ae598e95dc970b74767f19372d61af8";
    expect(redact(text)).toBe(text);
  });
});
