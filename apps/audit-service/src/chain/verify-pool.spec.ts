// The pool keeps workers started once asked to, and starts none once closed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VerifyPool } from "./verify-pool";

test("keepReady starts workers up to the largest count asked, and close ends them for good", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "msp-verify-pool-"));
  const pool = new VerifyPool({ dataDir });
  try {
    expect(pool.started).toBe(0);
    pool.keepReady(2);
    expect(pool.started).toBe(2);
    pool.keepReady(1);
    expect(pool.started).toBe(2);
    await pool.close();
    expect(pool.started).toBe(0);
    pool.keepReady(2);
    expect(pool.started).toBe(0);
  } finally {
    await pool.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
