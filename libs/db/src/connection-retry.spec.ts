// A transaction whose connection failed before it asked to commit is run once more (the server
// rolled it back); one whose commit failed never is (whether it took effect is unknown). The
// connection error is a real one, from the driver connecting to a loopback port where nothing listens.
import { freePort } from "@msp/testing";
import type { Transaction } from "sequelize";
import { Sequelize } from "sequelize";
import { retryingLostConnection } from "./connection-retry";

let refused: Error;
beforeAll(async () => {
  const sequelize = new Sequelize(`mariadb://nobody@127.0.0.1:${await freePort()}/none`, {
    logging: false,
    dialectOptions: { connectTimeout: 1000 },
    retry: { max: 0 },
  });
  refused = await sequelize.authenticate().then(
    () => new Error("connected"),
    (error: Error) => error,
  );
  await sequelize.close();
});

/** A stand-in for sequelize.transaction: the body runs, then the commit, which may fail in its turn. */
function beginning(failures: { body?: Error[]; commit?: Error[] }) {
  let begun = 0;
  const begin = async <T>(body: (transaction: Transaction) => Promise<T>): Promise<T> => {
    begun += 1;
    const bodyFailure = failures.body?.shift();
    if (bodyFailure) throw bodyFailure;
    const result = await body({} as Transaction);
    const commitFailure = failures.commit?.shift();
    if (commitFailure) throw commitFailure;
    return result;
  };
  return { begin, runs: () => begun };
}

describe("retryingLostConnection", () => {
  it("runs a transaction once more when its connection failed before the commit", async () => {
    const { begin, runs } = beginning({ body: [refused] });
    await expect(retryingLostConnection(() => Promise.resolve("written"), begin, 1)).resolves.toBe("written");
    expect(runs()).toBe(2);
  });

  it("runs it only once more: a database still away is the caller's UNAVAILABLE", async () => {
    const { begin, runs } = beginning({ body: [refused, refused, refused] });
    await expect(retryingLostConnection(() => Promise.resolve("written"), begin, 1)).rejects.toBe(refused);
    expect(runs()).toBe(2);
  });

  it("never runs it again when the commit itself failed: the write may have taken effect", async () => {
    const { begin, runs } = beginning({ commit: [refused] });
    let bodies = 0;
    const body = () => Promise.resolve(++bodies);
    await expect(retryingLostConnection(body, begin, 1)).rejects.toBe(refused);
    expect([runs(), bodies]).toEqual([1, 1]);
  });

  it("never runs it again for anything but a lost connection", async () => {
    const mistake = new Error("a bug");
    const { begin, runs } = beginning({ body: [mistake] });
    await expect(retryingLostConnection(() => Promise.resolve("written"), begin, 1)).rejects.toBe(mistake);
    expect(runs()).toBe(1);
  });
});
