import { isPlaceholder } from "../secret-shape";
import { keyStart, secretRule, type Candidate, type SecretRule } from "../secret-rule";

// Credentials inside URLs and connection strings. Only the password goes: the scheme, the user
// and the host stay (`postgres://app:[REDACTED:connection_string]@db:5432/app`).

/** Schemes of databases and message brokers: a password there opens a data store. */
const dataStoreSchemes = new Set([
  "postgres",
  "postgresql",
  "postgis",
  "mysql",
  "mysqlx",
  "mariadb",
  "mongodb",
  "mongodb+srv",
  "redis",
  "rediss",
  "valkey",
  "amqp",
  "amqps",
  "mssql",
  "sqlserver",
  "oracle",
  "cockroachdb",
  "clickhouse",
  "couchdb",
  "neo4j",
  "bolt",
  "memcached",
  "cassandra",
  "db2",
  "kafka",
  "nats",
  "ldap",
  "ldaps",
  "mqtt",
  "mqtts",
  "influxdb",
  "elasticsearch",
  "sqlite",
]);

function isDataStore(scheme: string): boolean {
  const lower = scheme.toLowerCase().replace(/^jdbc:/, "");
  // SQLAlchemy and friends name the driver after a plus sign: postgresql+psycopg2.
  const base = lower.startsWith("mongodb+srv") ? "mongodb+srv" : (lower.split("+")[0] ?? lower);
  return dataStoreSchemes.has(base);
}

/** The scheme before `://` (the pattern starts at `://`, which is much faster to find). */
function schemeBefore(candidate: Candidate): string {
  const { text, match } = candidate;
  let start = keyStart(text, match.index, /[A-Za-z0-9+.-]/);
  if (text.slice(Math.max(0, start - 5), start).toLowerCase() === "jdbc:") start -= 5;
  return text.slice(start, match.index);
}

function urlCredentialKind(candidate: Candidate): "connection_string" | "basic_auth_url" | undefined {
  const scheme = schemeBefore(candidate);
  if (!/^(?:jdbc:)?[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme)) return undefined;
  return isDataStore(scheme) ? "connection_string" : "basic_auth_url";
}

const urlChar = String.raw`[^\s/?#@"'\\<>]`;

/** Keys that only appear in ADO.NET, ODBC and JDBC-style connection strings. */
const connectionStringKey =
  /(?:^|[;"'\s])(?:Server|Data Source|Host|Address|Addr|Uid|User ID|User Id|Username|Database|Initial Catalog|Driver|Provider|DSN|AccountName|Port)\s*=/i;

export const urlRules: readonly SecretRule[] = [
  secretRule({
    name: "url-credentials",
    kind: urlCredentialKind,
    pattern: new RegExp(String.raw`://${urlChar}{0,256}:(?<s_1>${urlChar}{1,256})@(?=[A-Za-z0-9[\]_.-])`, "gd"),
    accept: (candidate) => !isPlaceholder(candidate.secret),
  }),
  secretRule({
    // Server=db;Database=app;User Id=app;Password=...; (ADO.NET, ODBC). A password may hold
    // spaces there, up to the next `;`; braces quote one that holds a `;`.
    name: "connection-string-password",
    kind: (candidate) => (/^(?:AccountKey|SharedAccessKey)/i.test(candidate.match[0]) ? "azure_key" : "connection_string"),
    pattern:
      /(?:P(?:assword|wd)|AccountKey|SharedAccessKey)\s*=\s*(?:\{(?<s_1>[^}\r\n]{1,1024})\}|(?<s_2>[^;"'\r\n\\{][^;"'\r\n\\]{0,1024}))/dgi,
    accept: (candidate) => {
      const before = candidate.text.slice(Math.max(0, candidate.match.index - 2), candidate.match.index);
      if (!/(?:^|[;"'\s]|\\[nrt])$/.test(before) || isPlaceholder(candidate.secret.trim())) return false;
      const lineStart = Math.max(0, candidate.match.index - 300);
      const around = candidate.text.slice(lineStart, candidate.end + 300);
      return connectionStringKey.test(around) && /;/.test(around);
    },
  }),
];
