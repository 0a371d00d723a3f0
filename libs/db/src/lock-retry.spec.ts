import { DatabaseError } from "sequelize";
import { isLockConflict, retryingLockConflicts } from "./lock-retry";

/** A driver error as Sequelize wraps it, with the driver's code. */
const driverError = (code: string) => new DatabaseError(Object.assign(new Error(`driver says ${code}`), { code, sql: "UPDATE t" }));

describe("retryingLockConflicts", () => {
  const quick = { attempts: 3, maxPauseMs: 1 };

  it("runs a transaction again after a deadlock, until it succeeds", async () => {
    const failures = [driverError("ER_LOCK_DEADLOCK"), driverError("ER_LOCK_DEADLOCK")];
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

  it("never runs again for anything else, a lock wait timeout or a busy SQLite file included (they have waited long already)", async () => {
    const others = [driverError("ER_LOCK_WAIT_TIMEOUT"), driverError("SQLITE_BUSY"), driverError("ER_DUP_ENTRY"), new Error("deadlock")];
    for (const error of others) {
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
