import { DatabaseError } from "sequelize";
import { isLockConflict, retryingLockConflicts } from "./lock-retry";

/** A driver error as Sequelize wraps it, with the driver's code. */
const driverError = (code: string) => new DatabaseError(Object.assign(new Error(`driver says ${code}`), { code, sql: "UPDATE t" }));

describe("retryingLockConflicts", () => {
  const quick = { attempts: 3, maxPauseMs: 1 };

  it("runs a transaction again after a deadlock or a busy SQLite file, until it succeeds", async () => {
    const failures = [driverError("ER_LOCK_DEADLOCK"), driverError("SQLITE_BUSY")];
    let runs = 0;
    const result = await retryingLockConflicts(() => {
      runs += 1;
      const failure = failures.shift();
      return failure ? Promise.reject(failure) : Promise.resolve("written");
    }, quick);
    expect(result).toBe("written");
    expect(runs).toBe(3);
  });

  it("gives up after its attempts with the last error", async () => {
    let runs = 0;
    const run = () => {
      runs += 1;
      return Promise.reject(driverError("ER_LOCK_DEADLOCK"));
    };
    await expect(retryingLockConflicts(run, quick)).rejects.toThrow("driver says ER_LOCK_DEADLOCK");
    expect(runs).toBe(3);
  });

  it("never runs again for anything else, a lock wait timeout included (it has waited long already)", async () => {
    for (const error of [driverError("ER_LOCK_WAIT_TIMEOUT"), driverError("ER_DUP_ENTRY"), new Error("deadlock in the text only")]) {
      let runs = 0;
      const run = () => {
        runs += 1;
        return Promise.reject(error);
      };
      await expect(retryingLockConflicts(run, quick)).rejects.toBe(error);
      expect(runs).toBe(1);
    }
  });

  it("tells lock conflicts from other errors", () => {
    expect(isLockConflict(driverError("ER_LOCK_DEADLOCK"))).toBe(true);
    expect(isLockConflict(driverError("ER_LOCK_WAIT_TIMEOUT"))).toBe(true);
    expect(isLockConflict(driverError("SQLITE_BUSY"))).toBe(true);
    expect(isLockConflict(driverError("ER_DUP_ENTRY"))).toBe(false);
    expect(isLockConflict(new Error("ER_LOCK_DEADLOCK"))).toBe(false);
  });
});
