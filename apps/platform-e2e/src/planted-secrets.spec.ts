// THE PLANTED-SECRET TEST of the platform's own API (issue 18): every secret the redactor knows
// (libs/redaction testing.ts: every kind, as people write them) is sent straight to the REST API,
// in every free-text field of every create and update of every resource the OpenAPI document
// lists, and in the other calls that store text from outside (a reveal's reason, a transcript, a
// session summary, a CSV import). No answer may hold one; then every column of every table (listed
// from the database itself) and every log line must hold none, as text, JSON-escaped or base64.
//
// Which fields take free text is found, not listed: a field the API refuses planted text in (an
// address, a slug, a date) is structured and gets a URL with a password instead, or its base value;
// a field's length limit, read from the refusal, decides how many planted lines one value holds.
import { randomBytes, randomUUID } from "node:crypto";
import { plantedSecrets } from "@msp/redaction/src/testing";
import { dumpDatabase, findNeedles } from "@msp/testing";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";
import type { Operation } from "./e2e-support";
import { mapConcurrently, openApiDocument, openApiOperations, schemaAt } from "./e2e-support";

jest.setTimeout(600_000);

const planted = plantedSecrets();
const needles = planted.map((p, i) => ({ name: `#${i} ${p.kind} ${p.secret.slice(0, 8)}...`, value: p.secret }));
const basicAuth = planted.find((p) => p.kind === "basic_auth_url")!;
/** What a structured field that takes a URL gets: the password must go, the URL stay. */
const urlWithPassword = `https://deploy:${basicAuth.secret}@git.acme.test/infra/ansible.git`;
/** Room left per planted line for its marker, which may be longer than the secret it replaces. */
const markerRoom = 24;

let platform: PlatformStack;
let token: string;
/** Planted secrets found in an answer (an overwritten value is no longer in the database). */
const answerLeaks: string[] = [];
/** For each planted line, the fields (collection.field) that stored it. */
const storedIn = planted.map(() => new Set<string>());
let calls = 0;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  calls++;
  const answer = await platform.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  answerLeaks.push(...findNeedles(needles, [{ where: `the answer to ${method} ${path}`, text: JSON.stringify(answer.json) ?? "" }]));
  return answer;
}

async function created(path: string, body: unknown): Promise<Json> {
  const { status, json } = await api("POST", path, body);
  if (status !== 200) throw new Error(`POST ${path} failed: ${status} ${JSON.stringify(json)}`);
  return json;
}

/** The planted lines (by index) in values of at most `limit` characters once redacted: one value per chunk. */
function chunks(limit: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let length = 0;
  planted.forEach((p, index) => {
    const size = p.line.length + markerRoom + 2;
    if (size > limit) return;
    if (length + size > limit) {
      out.push(current);
      current = [];
      length = 0;
    }
    current.push(index);
    length += size;
  });
  if (current.length > 0) out.push(current);
  return out;
}

const textOf = (chunk: readonly number[]) => chunk.map((index) => planted[index]!.line).join("\n\n");

/** A field of a resource that may take text: how to put a text into it (a list or JSON holds it as an item). */
interface TextField {
  name: string;
  value: (text: string) => unknown;
}

/** The text fields of a message schema: strings without a format, lists of them, JSON, sub-messages holding them. Not ids. */
function textFields(doc: Json, schema: Json): TextField[] {
  return Object.entries<Json>(schema.properties ?? {}).flatMap(([name, p]): TextField[] => {
    if (p.readOnly || name === "id" || name.endsWith("Id")) return [];
    if (p.type === "string" && p.format === undefined) return [{ name, value: (text) => text }];
    if (p.type === "array" && p.items?.type === "string" && p.items.format === undefined) return [{ name, value: (text) => [text] }];
    if (p.type === "object" && p.additionalProperties) return [{ name, value: (text) => ({ note: text, steps: [text] }) }];
    const target: Json = typeof p.$ref === "string" ? schemaAt(doc, p.$ref) : undefined;
    const inner = target?.type === "object" ? textFields(doc, target) : [];
    return inner.length === 0 ? [] : [{ name, value: (text) => Object.fromEntries(inner.map((f) => [f.name, f.value(text)])) }];
  });
}

/** A resource with a create and an update, as the OpenAPI document describes them. */
interface ResourceApi {
  collection: string;
  create: Operation;
  update: Operation;
  /** The property of the create's / update's body that holds the resource, when the body wraps it (credential). */
  createKey: string | undefined;
  updateKey: string | undefined;
  fields: TextField[];
}

function resourceApis(): ResourceApi[] {
  const doc = openApiDocument();
  const operations = openApiOperations(doc);
  return operations.flatMap((create): ResourceApi[] => {
    if (create.method !== "post" || create.pathParams.length > 0) return [];
    const update = operations.find((o) => o.method === "patch" && new RegExp(`^${create.template}/\\{[^}]+\\}$`).test(o.template));
    if (update === undefined) return [];
    const resourceRef: string = doc.paths[create.template].post.responses["200"].content["application/json"].schema.$ref;
    const resource = resourceRef.replace("#/components/schemas/", "");
    const keyOf = (op: Operation) =>
      op.bodySchemaName === resource
        ? undefined
        : Object.entries<Json>(op.bodySchema.properties).find(([, p]) => p.$ref === resourceRef)?.[0];
    return [
      {
        collection: create.template.replace("/api/v1/", ""),
        create,
        update,
        createKey: keyOf(create),
        updateKey: keyOf(update),
        fields: textFields(doc, schemaAt(doc, resourceRef)),
      },
    ];
  });
}

/** snake_case to camelCase, as the JSON names of proto fields. */
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The field violations of a 400 answer. */
function violationsOf(json: Json): Array<{ field: string; description: string }> {
  return ((json?.details ?? []) as Json[]).flatMap((d) => (d.fieldViolations ?? []) as Array<{ field: string; description: string }>);
}

/** The text field a violation names ("credential.name", "machine.capabilities.vpn_profiles[0]"). */
function fieldNamed(violation: string, fields: readonly TextField[]): string | undefined {
  return violation
    .split(".")
    .map((segment) => camel(segment.replace(/\[\d+\]$/, "")))
    .find((name) => fields.some((f) => f.name === name));
}

/** The limit a refusal names: "must be at most 255 characters". */
function limitIn(description: string): number | undefined {
  const match = /at most ([\d,]+) characters/.exec(description);
  return match ? Number(match[1]!.replace(/,/g, "")) : undefined;
}

/** How one field of one resource is planted: every chunk of lines (text), a URL with a password (url), or not at all. */
interface FieldPlan {
  mode: "text" | "url" | "off";
  limit: number;
  chunks: number[][];
}

/** Room for the label that starts each planted value. */
const labelRoom = 64;

/**
 * The value of a field in one round. It starts with a label naming the resource, field and round,
 * so no two values are the same: records unique by content (a failure's signature, a snippet's
 * hash) never clash, whatever the redactor makes of the rest.
 */
function plantedValue(collection: string, field: TextField, plan: FieldPlan, round: number): unknown {
  if (plan.mode === "url") return field.value(urlWithPassword);
  return field.value(`${collection}.${field.name} #${round}:\n${textOf(plan.chunks[round % plan.chunks.length]!)}`);
}

function note(collection: string, field: string, plan: FieldPlan, round: number): void {
  if (plan.mode === "url") storedIn[planted.indexOf(basicAuth)]!.add(`${collection}.${field}`);
  else if (plan.mode === "text")
    for (const index of plan.chunks[round % plan.chunks.length]!) storedIn[index]!.add(`${collection}.${field}`);
}

/**
 * Creates one record with planted text in every text field that takes it, finding on the way which
 * fields refuse it and how long a value may be; then updates it until every field has had every
 * planted line that fits it. Returns the fields that stored planted text.
 */
async function plantInResource(resource: ResourceApi, base: Json): Promise<string[]> {
  const plans = new Map<string, FieldPlan>(
    resource.fields.map((f) => [f.name, { mode: "text", limit: Infinity, chunks: chunks(Infinity) }]),
  );
  const wrap = (key: string | undefined, values: Record<string, unknown>, outer: Json = {}) =>
    key === undefined ? { ...outer, ...values } : { ...outer, [key]: { ...(outer[key] ?? {}), ...values } };
  const valuesOf = (round: number) =>
    Object.fromEntries(
      resource.fields
        .filter((f) => plans.get(f.name)!.mode !== "off")
        .map((f) => [f.name, plantedValue(resource.collection, f, plans.get(f.name)!, round)]),
    );
  /** Applies the refusals of a 400 answer to the plans; false when it named nothing to change. */
  const learn = (json: Json): boolean => {
    let changed = false;
    for (const violation of violationsOf(json)) {
      const name = fieldNamed(violation.field, resource.fields);
      const plan = name === undefined ? undefined : plans.get(name);
      if (plan === undefined || plan.mode === "off") continue;
      const limit = limitIn(violation.description);
      if (plan.mode === "text" && limit !== undefined) {
        // Longer than allowed once redacted too: leave more room.
        plan.limit = limit < plan.limit ? limit : plan.limit - 32;
        plan.chunks = chunks(plan.limit - labelRoom);
        if (plan.chunks.length === 0) plan.mode = "url";
      } else {
        plan.mode = plan.mode === "text" ? "url" : "off";
      }
      changed = true;
    }
    return changed;
  };

  let record: Json;
  for (let attempt = 0; record === undefined; attempt++) {
    const { status, json } = await api("POST", resource.create.template, wrap(resource.createKey, valuesOf(0), base));
    if (status === 200) record = json ?? {};
    else if (status !== 400 || attempt > 12 || !learn(json)) {
      throw new Error(`creating ${resource.collection} with planted text: ${status} ${JSON.stringify(json)}`);
    }
  }
  const id: unknown = record.id;
  if (typeof id !== "string" || id === "") throw new Error(`the answer to creating ${resource.collection} holds no id`);
  for (const [name, plan] of plans) note(resource.collection, name, plan, 0);

  const rounds = Math.max(1, ...[...plans.values()].filter((p) => p.mode === "text").map((p) => p.chunks.length));
  const path = resource.update.template.replace(/\{[^}]+\}/, id);
  for (let round = 1; round < rounds; round++) {
    for (let attempt = 0; ; attempt++) {
      const values = valuesOf(round);
      if (Object.keys(values).length === 0) break;
      const { status, json } = await api("PATCH", path, wrap(resource.updateKey, values));
      if (status === 200) {
        for (const [name, plan] of plans) note(resource.collection, name, plan, round);
        break;
      }
      // A field that may not change (a username) is left out of the updates.
      const frozen = violationsOf(json).map((v) => fieldNamed(v.field, resource.fields));
      if (status !== 400 || attempt > 12 || frozen.length === 0 || frozen.includes(undefined)) {
        throw new Error(`updating ${resource.collection} with planted text: ${status} ${JSON.stringify(json)}`);
      }
      for (const name of frozen) plans.get(name!)!.mode = "off";
    }
  }
  return [...plans].filter(([, plan]) => plan.mode !== "off").map(([name]) => name);
}

/**
 * Sends `body(text)` for every chunk of planted lines that fits the limit the call's refusal
 * names; `label` names the field in the coverage figures.
 */
async function plantInCall(label: string, path: string, body: (text: string) => unknown): Promise<void> {
  let limit = Infinity;
  for (let round = 0, attempt = 0; round < chunks(limit).length; ) {
    const chunk = chunks(limit)[round]!;
    const { status, json } = await api("POST", path, body(textOf(chunk)));
    const named = status === 400 ? violationsOf(json).map((v) => limitIn(v.description)) : [];
    if (status === 200) {
      for (const index of chunk) storedIn[index]!.add(label);
      round++;
    } else if (named.length > 0 && named.every((n) => n !== undefined) && attempt++ < 12) {
      limit = Math.min(limit - 32, ...named);
      round = 0;
    } else {
      throw new Error(`POST ${path} with planted text: ${status} ${JSON.stringify(json)}`);
    }
  }
}

/** A Claude Code transcript in which each planted line is pasted in a prompt, run by Bash and printed back. */
function transcriptOf(sessionId: string, lines: readonly string[]): string {
  const at = (i: number) => new Date(Date.parse("2026-11-20T09:00:00Z") + i * 60_000).toISOString();
  const record = (i: number, type: string, message: unknown) =>
    JSON.stringify({ type, sessionId, cwd: "/home/tech/planted", uuid: randomUUID(), timestamp: at(i), message });
  return `${lines
    .flatMap((line, i) => [
      record(3 * i, "user", { role: "user", content: `Use this on the server:\n${line}` }),
      record(3 * i + 1, "assistant", {
        role: "assistant",
        content: [{ type: "tool_use", id: `toolu_${i}`, name: "Bash", input: { command: line } }],
      }),
      record(3 * i + 2, "user", { role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${i}`, content: `done: ${line}` }] }),
    ])
    .join("\n")}\n`;
}

/** RFC 4180: quoted, quotes doubled. */
const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;

beforeAll(async () => {
  platform = await startPlatform();
  token = await platform.login();
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

test("no planted secret sent to the API is in any answer, any column of any table, or any log", async () => {
  const resources = resourceApis();
  const plain = () => `Plain-${randomBytes(12).toString("base64url")}`;
  const client = await created("/api/v1/clients", { name: `Planted base ${randomUUID()}` });
  const session = await created("/api/v1/sessions", { clientId: client.id, title: "planted base" });
  const asset = await created("/api/v1/assets", { clientId: client.id, assetType: "ASSET_TYPE_PHYSICAL_SERVER", hostname: "planted-base" });
  const service = (name: string) => created("/api/v1/services", { infrastructureId: asset.id, name });
  const [from, to] = [await service("planted-from"), await service("planted-to")];

  // What each create needs besides text: ids of other records, enums, times. Planted text replaces
  // the text given here wherever a field takes it.
  const bases: Record<string, Json> = {
    users: { user: { username: `planted-${randomBytes(3).toString("hex")}` }, password: plain() },
    assets: { clientId: client.id, assetType: "ASSET_TYPE_VIRTUAL_MACHINE", hostname: "planted-asset" },
    firewallRules: { infrastructureId: asset.id, action: "FIREWALL_ACTION_ALLOW" },
    infrastructureChanges: { infrastructureId: asset.id, changeType: "CHANGE_TYPE_DNS", targetSystem: "dc01" },
    m365Tenants: { clientId: client.id, tenantId: randomUUID() },
    networks: { clientId: client.id, name: "planted-net", cidr: "10.99.0.0/24" },
    services: { infrastructureId: asset.id, name: "planted-service" },
    serviceRelationships: { fromServiceId: from.id, toServiceId: to.id, relationship: "RELATIONSHIP_TYPE_HOSTED_ON" },
    sites: { clientId: client.id, name: "planted-site" },
    contextSnippets: { category: "SNIPPET_CATEGORY_TECH_DECISION", title: "planted", denseContent: "planted" },
    conversationContexts: { title: "planted", denseSummary: "planted", claudeSessionId: randomUUID() },
    decisionLogs: { decision: "planted" },
    environmentalInsights: { clientId: client.id, category: "INSIGHT_CATEGORY_COMMAND_CONSTRAINTS", title: "planted" },
    failurePatterns: { errorPattern: "planted" },
    operationFailures: { operationType: "OPERATION_TYPE_API_CALL", errorMessage: "planted" },
    projectStates: { repository: "github.com/acme/planted" },
    credentials: { credential: { credentialType: "CREDENTIAL_TYPE_PASSWORD", name: "planted" }, secret: plain() },
    integrationCredentials: {
      integrationCredential: { integration: "INTEGRATION_SYNCRO", credentialType: "INTEGRATION_CREDENTIAL_TYPE_API_KEY" },
      secrets: { secret: plain() },
    },
    securityIncidents: {
      incidentType: "INCIDENT_TYPE_MALWARE",
      severity: "INCIDENT_SEVERITY_HIGH",
      description: "planted",
      occurredAt: "2026-11-20T09:00:00Z",
    },
    billableTime: { clientId: client.id, sessionId: session.id, startedAt: "2026-11-20T09:00:00Z", endedAt: "2026-11-20T10:00:00Z" },
    clients: { name: `Planted ${randomUUID()}` },
    commands: { sessionId: session.id, commandText: "uptime" },
    databaseChanges: { sessionId: session.id, databaseName: "crm", changeType: "DATABASE_CHANGE_TYPE_SCHEMA" },
    deployments: { sessionId: session.id, deploymentType: "DEPLOYMENT_TYPE_CODE" },
    externalIntegrations: { integrationType: "syncro", action: "EXTERNAL_INTEGRATION_ACTION_CREATED" },
    fileChanges: { sessionId: session.id, filePath: "/etc/hosts", changeType: "FILE_CHANGE_TYPE_MODIFIED" },
    machines: { hostname: "planted-laptop", fingerprint: `planted-${randomUUID()}` },
    problemSolutions: { sessionId: session.id, solution: "planted" },
    projects: { clientId: client.id, name: "Planted", slug: `planted-${randomBytes(3).toString("hex")}` },
    sessions: { clientId: client.id },
    tags: { name: `planted-${randomBytes(3).toString("hex")}` },
    tasks: { title: "planted" },
    ticketLinks: { sessionId: session.id, system: "TICKET_SYSTEM_SYNCRO", ticketId: "T-1" },
    workItems: { sessionId: session.id, title: "planted" },
  };
  // Every resource with a create and an update has a base here: one added later is planted in too.
  expect(resources.map((r) => r.collection).filter((c) => bases[c] === undefined)).toEqual([]);

  const stored = await mapConcurrently(resources, 4, async (resource) => ({
    collection: resource.collection,
    fields: await plantInResource(resource, bases[resource.collection]),
  }));

  // The calls besides creates and updates that store text from outside.
  const credential = await created("/api/v1/credentials", {
    credential: { credentialType: "CREDENTIAL_TYPE_PASSWORD", name: "planted reveal" },
    secret: plain(),
  });
  await plantInCall("reveal reason", `/api/v1/credentials/${credential.id}:reveal`, (text) => ({ reason: text }));
  await plantInCall("apiKeys.name", "/api/v1/apiKeys", (text) => ({ name: text, scopes: ["work:read"] }));
  // A work item's description alone (with its parts, it must agree with them: it is composed of them above).
  await plantInCall("workItems.description", "/api/v1/workItems", (text) => ({
    sessionId: session.id,
    title: "planted",
    description: text,
  }));
  const claudeSessionId = randomUUID();
  const transcript = transcriptOf(
    claudeSessionId,
    planted.map((p) => p.line),
  );
  const ingested = await created("/api/v1/memory:ingest", {
    scope: {
      clientId: client.id,
      machineName: "LAPTOP-P",
      cwd: `/home/tech/${basicAuth.line}`,
      repository: urlWithPassword,
      host: "web01",
    },
    claudeSessionId,
    idempotencyKey: `planted-${claudeSessionId}`,
    transcript,
    trigger: "session_end",
  });
  expect(ingested.status).toBe("stored");
  // The first part of an upload that never finishes is kept for a day.
  const staged = await created("/api/v1/memory:ingest", {
    claudeSessionId: randomUUID(),
    idempotencyKey: `planted-parts-${randomUUID()}`,
    transcript,
    partIndex: 0,
    partCount: 2,
  });
  expect(staged.status).not.toBe("stored");
  await plantInCall("session summary", "/api/v1/memory:attachSessionSummary", (text) => ({
    claudeSessionId,
    text,
    model: "haiku",
    tokens: "10",
  }));
  const csv = ["hostname,asset_type,notes", ...planted.map((p, i) => `planted-import-${i},vm,${csvField(p.line)}`)].join("\n");
  const imported = await api("POST", "/api/v1/infrastructure:import", { clientId: client.id, kind: "IMPORT_KIND_ASSETS", csv });
  expect([imported.status, imported.json.problems ?? []]).toEqual([200, []]);
  planted.forEach((_, i) => storedIn[i]!.add("infrastructure:import notes"));

  // Every committed change is in the audit chain before the database is read.
  for (let i = 0; ; i++) {
    const { status, json } = await api("GET", "/api/v1/audit:status");
    if (status === 200 && json.outboxPending === "0") break;
    if (i > 1200) throw new Error("the audit outbox did not drain");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const fieldCount = stored.reduce((sum, r) => sum + r.fields.length, 0);
  console.log(
    `planted-secret test: ${planted.length} planted lines of ${new Set(planted.map((p) => p.kind)).size} kinds in ${fieldCount} text fields of ` +
      `${stored.length} resources: ${stored.map((r) => `${r.collection} (${r.fields.join(", ")})`).join("; ")}`,
  );
  // The fields the issue saw storing secrets took every planted line, and each line went somewhere.
  const longFields = ["sessions.summary", "commands.commandText", "commands.outputSummary", "workItems.description", "clients.notes"];
  for (const field of [...longFields, "session summary", "infrastructure:import notes"]) {
    expect([field, planted.filter((_, i) => !storedIn[i]!.has(field)).map((p) => p.kind)]).toEqual([field, []]);
  }
  expect(planted.map((p, i) => [p.kind, storedIn[i]!.size > 10])).toEqual(planted.map((p) => [p.kind, true]));

  /** Findings, counted and the first of them shown (a broken redaction finds tens of thousands). */
  const shown = (findings: string[]) => ({ count: findings.length, first: findings.slice(0, 40) });
  expect(shown(answerLeaks)).toEqual({ count: 0, first: [] });
  const { tables, values } = await dumpDatabase(platform.database);
  const tablesWithValues = new Set(values.map((v) => v.where.split(".")[0]));
  for (const table of [
    "sessions",
    "commands_run",
    "work_items",
    "audit_events",
    "conversation_contexts",
    "ingest_parts",
    "credential_access_log",
  ]) {
    expect([table, tablesWithValues.has(table)]).toEqual([table, true]);
  }
  console.log(`planted-secret test: ${calls} calls; ${values.length} values of ${tables.length} tables scanned`);
  expect(shown(findNeedles(needles, values))).toEqual({ count: 0, first: [] });
  // The planted text is there, redacted: it was stored, not refused.
  expect(values.some((v) => v.where === "sessions.summary" && v.text.includes("[REDACTED:private_key]"))).toBe(true);
  expect(
    findNeedles(
      needles,
      platform.logs().flatMap(({ app, lines }) => lines.map((text) => ({ where: `the log of ${app}`, text }))),
    ),
  ).toEqual([]);
});
