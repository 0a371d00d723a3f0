import type { RedactionKind } from "./redaction-kinds";

// Planted secrets for tests that must prove no secret is stored: the recall service plants them
// into a real transcript and scans its database for each `secret`. They are generated from fixed
// seeds, so they look like real keys yet no key-shaped literal sits in the repository (and no
// secret scanner mistakes this file for a leak).

/** A secret planted in a realistic line, and the kind the redactor must report for it. */
export interface PlantedSecret {
  kind: RedactionKind;
  /** The exact sensitive text: it must appear nowhere after redaction. */
  secret: string;
  /** A command, config or prose line holding the secret as people write it. */
  line: string;
}

const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const lower = "abcdefghijklmnopqrstuvwxyz";
const digits = "0123456789";
const alphanumeric = upper + lower + digits;
const base64Chars = alphanumeric + "+/";
const urlSafe = alphanumeric + "_-";

/** Deterministic pseudo-random text (mulberry32 over a hash of the seed). */
export function syntheticText(seed: string, length: number, alphabet = alphanumeric): string {
  let state = 2166136261;
  for (const char of seed) state = Math.imul(state ^ char.charCodeAt(0), 16777619) >>> 0;
  let result = "";
  while (result.length < length) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    result += alphabet.charAt(((t ^ (t >>> 14)) >>> 0) % alphabet.length);
  }
  return result;
}

/** Like syntheticText over letters and digits, always holding all three classes, as generated keys do. */
function mixedText(seed: string, length: number): string {
  return `${syntheticText(seed, length - 3)}${syntheticText(`${seed}/U`, 1, upper)}${syntheticText(`${seed}/l`, 1, lower)}${syntheticText(`${seed}/d`, 1, digits)}`;
}

/** A password as a person picks it: letters, digits and a symbol, no quote or space. */
function typedPassword(seed: string): string {
  return `${mixedText(seed, 9)}!${syntheticText(`${seed}#`, 3, digits)}`;
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

function pemBody(seed: string): string[] {
  return Array.from({ length: 6 }, (_, index) => syntheticText(`${seed}-${index}`, 64, base64Chars));
}

/**
 * At least one planted secret for every kind the redactor emits, most of them as commands and
 * config lines seen in real sessions. For a private key, `secret` is one line of its body.
 */
export function plantedSecrets(): PlantedSecret[] {
  const planted: PlantedSecret[] = [];
  const plant = (kind: RedactionKind, secret: string, line: (secret: string) => string): void => {
    planted.push({ kind, secret, line: line(secret) });
  };

  const rsaBody = pemBody("rsa");
  planted.push({
    kind: "private_key",
    secret: rsaBody[2] ?? "",
    line: ["-----BEGIN RSA PRIVATE KEY-----", ...rsaBody, "-----END RSA PRIVATE KEY-----"].join("\n"),
  });
  const opensshBody = pemBody("openssh");
  planted.push({
    kind: "private_key",
    secret: opensshBody[0] ?? "",
    line: `cat ~/.ssh/id_ed25519\n-----BEGIN OPENSSH PRIVATE KEY-----\n${opensshBody.join("\n")}\n-----END OPENSSH PRIVATE KEY-----`,
  });
  plant("aws_access_key", `AKIA${syntheticText("aws-id", 16, upper + digits)}`, (s) => `aws configure set aws_access_key_id ${s}`);
  plant("aws_secret_key", syntheticText("aws-secret", 40, base64Chars), (s) => `aws_secret_access_key = ${s}`);
  plant("github_token", `ghp_${mixedText("github", 36)}`, (s) => `export GITHUB_TOKEN=${s}`);
  plant(
    "gitlab_token",
    `glpat-${syntheticText("gitlab", 20, urlSafe)}`,
    (s) => `curl --header "PRIVATE-TOKEN: ${s}" https://gitlab.acme.test/api/v4/projects`,
  );
  plant(
    "slack_token",
    `xoxb-${syntheticText("slack-1", 12, digits)}-${mixedText("slack-2", 24)}`,
    (s) => `SLACK_BOT_TOKEN="${s}" node bot.js`,
  );
  plant("stripe_key", `sk_live_${mixedText("stripe", 24)}`, (s) => `stripe.api_key = "${s}"`);
  plant(
    "google_api_key",
    `AIza${syntheticText("google", 35, urlSafe)}`,
    (s) => `curl "https://maps.googleapis.com/maps/api/geocode/json?address=Bern&key=${s}"`,
  );
  plant("google_oauth", `ya29.${syntheticText("google-oauth", 40, urlSafe)}`, (s) => `gcloud auth print-access-token\n${s}`);
  plant("openai_key", `sk-proj-${syntheticText("openai", 48, urlSafe)}`, (s) => `OPENAI_API_KEY=${s} python summarize.py`);
  plant(
    "anthropic_key",
    `sk-ant-api03-${syntheticText("anthropic", 40, urlSafe)}`,
    (s) => `curl https://api.anthropic.com/v1/messages -H "x-api-key: ${s}"`,
  );
  plant(
    "azure_key",
    `${syntheticText("azure", 86, base64Chars)}==`,
    (s) =>
      `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey=${s};EndpointSuffix=core.windows.net"`,
  );
  plant("npm_token", `npm_${syntheticText("npm", 36)}`, (s) => `echo "//registry.npmjs.org/:_authToken=${s}" >> ~/.npmrc`);
  plant("pypi_token", `pypi-AgEIcHlwaS5vcmc${syntheticText("pypi", 60, urlSafe)}`, (s) => `twine upload -u __token__ -p ${s} dist/*`);
  plant(
    "sendgrid_key",
    `SG.${syntheticText("sendgrid-1", 22, urlSafe)}.${syntheticText("sendgrid-2", 43, urlSafe)}`,
    (s) => `sendgrid_key: ${s}`,
  );
  plant("huggingface_token", `hf_${syntheticText("huggingface", 34, upper + lower)}`, (s) => `huggingface-cli login --token ${s}`);
  plant("digitalocean_token", `dop_v1_${syntheticText("digitalocean", 64, "0123456789abcdef")}`, (s) => `doctl auth init -t ${s}`);
  plant(
    "telegram_bot_token",
    `${syntheticText("telegram-id", 10, digits).replace(/^0/, "7")}:AA${syntheticText("telegram", 33, urlSafe)}`,
    (s) => `curl https://api.telegram.org/bot${s}/getMe`,
  );
  const jwt = [
    base64('{"alg":"HS256","typ":"JWT"}'),
    base64(`{"sub":"${mixedText("jwt-sub", 8)}","exp":1767225600}`),
    syntheticText("jwt-signature", 43, urlSafe),
  ]
    .join(".")
    .replace(/=/g, "");
  plant("jwt", jwt, (s) => `curl -H "Authorization: Bearer ${s}" https://api.acme.test/v1/tickets`);
  plant("password", typedPassword("mysql"), (s) => `mysql -u root -p${s} acme_prod -e "SHOW TABLES"`);
  plant("password", typedPassword("sshpass"), (s) => `sshpass -p '${s}' ssh admin@10.20.0.15 uptime`);
  plant("password", typedPassword("docker-login"), (s) => `docker login registry.acme.test -u deploy --password ${s}`);
  plant("password", typedPassword("sql"), (s) => `CREATE USER 'crm'@'%' IDENTIFIED BY '${s}';`);
  plant("password", typedPassword("htpasswd"), (s) => `htpasswd -bc /etc/nginx/.htpasswd ops ${s}`);
  plant("password", typedPassword("env-password"), (s) => `DB_PASSWORD=${s}`);
  plant("password", typedPassword("yaml-password"), (s) => `  password: "${s}"`);
  plant("password", typedPassword("ttyd"), (s) => `docker run -d tsl0922/ttyd ttyd --credential ops:${s} bash`);
  plant("basic_auth_url", typedPassword("git-url"), (s) => `git clone https://deploy:${s}@git.acme.test/infra/ansible.git`);
  plant("connection_string", typedPassword("postgres-url"), (s) => `DATABASE_URL=postgres://app:${s}@db.internal:5432/app`);
  plant(
    "connection_string",
    typedPassword("ado"),
    (s) => `"ConnectionStrings": { "Crm": "Server=sql01;Database=crm;User Id=sa;Password=${s};" }`,
  );
  plant("authorization_header", typedPassword("curl-u"), (s) => `curl -k -u admin:${s} https://nas.acme.test/api/status`);
  plant("authorization_header", base64(`svc:${typedPassword("basic")}`), (s) => `-H 'Authorization: Basic ${s}'`);
  plant("cookie", `sessionid=${mixedText("cookie", 32)}`, (s) => `curl -H "Cookie: ${s}" https://portal.acme.test/admin`);
  plant("docker_auth", base64(`deploy:${typedPassword("docker-auth")}`), (s) => `{"auths":{"registry.acme.test":{"auth":"${s}"}}}`);
  plant("powershell_secure_string", typedPassword("powershell"), (s) => `$pw = ConvertTo-SecureString "${s}" -AsPlainText -Force`);
  plant("password_hash", `$apr1$${syntheticText("apr1-salt", 8)}$${syntheticText("apr1-hash", 22)}`, (s) => `ops:${s}`);
  // System accounts, as provisioning scripts set them (the chpasswd pair and the Secret below reached the database once).
  plant("password", typedPassword("chpasswd"), (s) => `echo 'deploy:${s}' | sudo chpasswd`);
  plant("password", typedPassword("chpasswd-heredoc"), (s) => `chpasswd <<EOF\nops:${s}\nbackup:${typedPassword("chpasswd-2")}\nEOF`);
  plant("password", typedPassword("net-user"), (s) => `net user svc_backup ${s} /add /y`);
  plant("password", typedPassword("net-use"), (s) => `net use Z: \\\\fs01\\backup ${s} /user:ACME\\svc_backup`);
  plant("password", typedPassword("useradd"), (s) => `useradd -m -s /bin/bash -p '${s}' deploy`);
  plant("password", typedPassword("rdp"), (s) => `xfreerdp /v:10.20.0.40 /u:Administrator /p:${s} /cert:ignore`);
  plant("password", syntheticText("pgpassword", 11, upper + lower), (s) => `PGPASSWORD=${s} psql -h db.internal -U app app`);
  plant("password", syntheticText("mysql-letters", 9, upper + lower), (s) => `mysql -u root -p'${s}' crm -e "SHOW TABLES"`);
  plant("password", syntheticText("sshpass-letters", 10, upper + lower), (s) => `sshpass -p ${s} ssh admin@10.20.0.16 uptime`);
  plant("password", typedPassword("wifi"), (s) => `The office wifi password is ${s}. Guests use the other network.`);
  plant("password", typedPassword("pgpass"), (s) => `echo 'db.internal:5432:app:app:${s}' >> ~/.pgpass`);
  // Kubernetes Secrets keep their values base64-encoded: the password, and a URL that holds another.
  const k8sPassword = base64(typedPassword("k8s-password"));
  const k8sUrl = base64(`postgresql://portal:${typedPassword("k8s-url")}@portal-db.acme.svc:5432/portal`);
  const manifest = (password: string, url: string) =>
    [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: portal-db",
      "  namespace: acme",
      "data:",
      `  username: ${base64("portal")}`,
      `  password: ${password}`,
      `  url: ${url}`,
      "type: Opaque",
    ].join("\n");
  plant("encoded_secret", k8sPassword, (s) => manifest(s, k8sUrl));
  plant("encoded_secret", k8sUrl, (s) => manifest(k8sPassword, s));
  plant("encoded_secret", base64(typedPassword("base64-decode")), (s) => `echo ${s} | base64 -d`);
  plant("env_secret", mixedText("jwt-secret", 24), (s) => `export JWT_SECRET=${s}`);
  plant("secret_assignment", syntheticText("client-secret", 32, urlSafe), (s) => `client_secret: "${s}"`);
  plant("high_entropy", mixedText("session-key", 32), (s) => `session_key = "${s}"`);
  return planted;
}
