// The chain leaves the database: an export verifies offline with the keys alone (and fails at the
// line someone edited), and a prune up to a checkpoint leaves a chain that still verifies, online
// and exported.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parsePublicKey, readHmacKeyFile, verifyExportFile } from "@msp/audit-chain";
import { call, withSlowness } from "@msp/testing";
import { ChainStore } from "../chain/chain-store";
import { pruneBefore } from "../chain/prune";
import type { AuditStack } from "./audit-stack";
import { countOf, drained, startAuditStack, testContext, verify, writeChanges } from "./audit-stack";

jest.setTimeout(withSlowness(180_000));

let stack: AuditStack;
beforeAll(async () => {
  stack = await startAuditStack();
  await writeChanges(stack.db, 37, "export");
  await drained(stack.db);
}, 300_000);
afterAll(() => stack?.stop(), 120_000);

async function exportTo(file: string, fromSeq = 0n): Promise<number> {
  const lines: string[] = [];
  let pageToken = "";
  do {
    const page = await call(stack.client, "exportAuditChain", { fromSeq, toSeq: 0n, pageSize: 10, pageToken });
    lines.push(...page.lines);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return lines.length;
}

async function offlineKeys() {
  const { publicKeyPem } = await call(stack.client, "getAuditKeys", {});
  return {
    hmacKey: readHmacKeyFile(join(stack.database.config.dataDir, "audit-hmac-key"), "the test's key file"),
    publicKey: parsePublicKey(publicKeyPem, "GetAuditKeys"),
  };
}

test("an export verifies offline with the keys, and an edited line is named", async () => {
  const file = join(stack.database.config.dataDir, "export.jsonl");
  expect(await exportTo(file)).toBeGreaterThan(37);
  const keys = await offlineKeys();
  const result = await verifyExportFile(file, keys);
  expect(result.failure).toBeNull();
  expect(result.ok).toBe(true);
  expect(result.checkedEvents).toBe(37);
  expect(result.checkedCheckpoints).toBe(3);

  const lines = readFileSync(file, "utf8").split("\n");
  const at = lines.findIndex((line) => line.includes('"seq":12,') && line.includes('"type":"event"'));
  lines[at] = lines[at]!.replace('"principal":"tester"', '"principal":"mallory"');
  const edited = join(stack.database.config.dataDir, "edited.jsonl");
  writeFileSync(edited, lines.join("\n"));
  const broken = await verifyExportFile(edited, keys);
  expect(broken.ok).toBe(false);
  expect(broken.failure).toMatchObject({ seq: 12, problem: "hash_mismatch" });
});

test("a prune keeps the chain verifiable from the checkpoint it stops at", async () => {
  const store = new ChainStore(stack.db);
  // Everything so far is "old": the prune stops at the newest checkpoint (30), which stays.
  const outcome = await pruneBefore(stack.db, store, new Date(Date.now() + 60_000), testContext);
  expect(Number(outcome.anchorSeq)).toBe(30);
  expect(Number(outcome.prunedEvents)).toBe(30);
  expect(await countOf(stack.db, "audit_events", "WHERE seq <= 30")).toBe(0);
  await drained(stack.db);
  const online = await verify(stack.client);
  expect(online.failure).toBeUndefined();
  expect(online.ok).toBe(true);
  expect(Number(online.firstSeq)).toBe(31);
  const keys = await call(stack.client, "getAuditKeys", {});
  expect(Number(keys.anchorSeq)).toBe(30);
  // The prune is in the log.
  const pruned = await call(stack.client, "listAuditEvents", {
    pageSize: 5,
    pageToken: "",
    filter: 'resource_type = "audit_chain"',
    orderBy: "",
  });
  expect(pruned.auditEvents[0]?.requestSummary?.["pruned_through_seq"]).toBe(30);

  const file = join(stack.database.config.dataDir, "after-prune.jsonl");
  await exportTo(file);
  const result = await verifyExportFile(file, await offlineKeys());
  expect(result.failure).toBeNull();
  expect(result.ok).toBe(true);

  // An edited anchor is caught.
  await stack.db.sequelize.query("UPDATE audit_chain_state SET anchor_hash = ? WHERE id = 1", { replacements: ["f".repeat(64)] });
  const tampered = await verify(stack.client);
  expect(tampered.ok).toBe(false);
  expect(Number(tampered.failure?.seq)).toBe(30);
});
