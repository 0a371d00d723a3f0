import type { sendUnaryData, ServerUnaryCall } from "@grpc/grpc-js";
import { Server, ServerCredentials, status } from "@grpc/grpc-js";
import { DomainError } from "@msp/errors";
import type { CheckRevocationRequest, CheckRevocationResponse } from "@msp/proto/src/gen/ts/msp/identity/v1/auth";
import { AuthServiceService } from "@msp/proto/src/gen/ts/msp/identity/v1/auth";
import { createRevocationClient } from "./revocation-client";

type Answer = (tokenId: string, respond: sendUnaryData<CheckRevocationResponse>) => void;

/** A stub identity service answering CheckRevocation as `answer` says, recording every call. */
let answer: Answer;
const asked: { tokenId: string; authorization: unknown }[] = [];
let server: Server;
let address: string;

const listen = (s: Server) =>
  new Promise<number>((resolve, reject) =>
    s.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );

beforeAll(async () => {
  server = new Server();
  server.addService(AuthServiceService, {
    checkRevocation: (
      call: ServerUnaryCall<CheckRevocationRequest, CheckRevocationResponse>,
      respond: sendUnaryData<CheckRevocationResponse>,
    ) => {
      asked.push({ tokenId: call.request.tokenId, authorization: call.metadata.get("authorization")[0] });
      answer(call.request.tokenId, respond);
    },
  });
  address = `127.0.0.1:${await listen(server)}`;
});

afterAll(() => {
  server.forceShutdown();
});

const revokedIds = new Set(["revoked-1"]);
beforeEach(() => {
  asked.length = 0;
  answer = (tokenId, respond) => respond(null, { revoked: revokedIds.has(tokenId) });
});

const inAnHour = () => new Date(Date.now() + 3600_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The DomainError a promise rejects with. */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(DomainError);
      return error as DomainError;
    },
  );

describe("createRevocationClient", () => {
  it("asks CheckRevocation with the caller's token as its bearer", async () => {
    const client = createRevocationClient({ address });
    try {
      await expect(client.isRevoked("ok-1", inAnHour(), "token-a")).resolves.toBe(false);
      await expect(client.isRevoked("revoked-1", inAnHour(), "token-b")).resolves.toBe(true);
      expect(asked).toEqual([
        { tokenId: "ok-1", authorization: "Bearer token-a" },
        { tokenId: "revoked-1", authorization: "Bearer token-b" },
      ]);
    } finally {
      client.close();
    }
  });

  it("trusts a 'not revoked' answer for cacheTtlMs, then asks again", async () => {
    const client = createRevocationClient({ address, cacheTtlMs: 100 });
    try {
      await client.isRevoked("ok-2", inAnHour(), "t");
      await client.isRevoked("ok-2", inAnHour(), "t");
      expect(asked).toHaveLength(1);
      await sleep(150);
      await client.isRevoked("ok-2", inAnHour(), "t");
      expect(asked).toHaveLength(2);
    } finally {
      client.close();
    }
  });

  it("never trusts an answer past the token's expiry", async () => {
    const client = createRevocationClient({ address, cacheTtlMs: 60_000 });
    try {
      const soon = new Date(Date.now() + 50);
      await client.isRevoked("ok-3", soon, "t");
      await sleep(100);
      await client.isRevoked("ok-3", soon, "t");
      expect(asked).toHaveLength(2);
    } finally {
      client.close();
    }
  });

  it("remembers a revocation until the token expires, past cacheTtlMs", async () => {
    const client = createRevocationClient({ address, cacheTtlMs: 20 });
    try {
      await expect(client.isRevoked("revoked-1", inAnHour(), "t")).resolves.toBe(true);
      await sleep(50);
      await expect(client.isRevoked("revoked-1", inAnHour(), "t")).resolves.toBe(true);
      expect(asked).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it("makes one call for concurrent lookups of the same token", async () => {
    const pending: (() => void)[] = [];
    answer = (tokenId, respond) => pending.push(() => respond(null, { revoked: revokedIds.has(tokenId) }));
    const client = createRevocationClient({ address });
    try {
      const lookups = [
        ...Array.from({ length: 20 }, () => client.isRevoked("ok-4", inAnHour(), "t")),
        client.isRevoked("revoked-1", inAnHour(), "t"),
      ];
      while (pending.length < 2) await sleep(5);
      await sleep(20); // any stray extra call would arrive now
      expect(asked.map((a) => a.tokenId).sort()).toEqual(["ok-4", "revoked-1"]);
      pending.forEach((release) => release());
      const results = await Promise.all(lookups);
      expect(results).toEqual([...Array.from({ length: 20 }, () => false), true]);
    } finally {
      client.close();
    }
  });

  it("keeps at most maxEntries answers, dropping the oldest", async () => {
    const client = createRevocationClient({ address, maxEntries: 2 });
    try {
      for (const id of ["a", "b", "c"]) await client.isRevoked(id, inAnHour(), "t");
      await client.isRevoked("c", inAnHour(), "t");
      await client.isRevoked("b", inAnHour(), "t");
      expect(asked.map((a) => a.tokenId)).toEqual(["a", "b", "c"]);
      await client.isRevoked("a", inAnHour(), "t");
      expect(asked.map((a) => a.tokenId)).toEqual(["a", "b", "c", "a"]);
    } finally {
      client.close();
    }
  });

  it("fails closed, and caches no failure, when the identity service is down", async () => {
    const down = new Server();
    const port = await listen(down);
    down.forceShutdown();
    const client = createRevocationClient({ address: `127.0.0.1:${port}`, deadlineMs: 1000 });
    try {
      for (let i = 0; i < 2; i++) {
        const error = await refusal(client.isRevoked("ok-5", inAnHour(), "t"));
        expect(error.code).toBe("unavailable");
        expect(error.message).toBe("cannot check token revocation: identity service unreachable");
      }
    } finally {
      client.close();
    }
  });

  it("fails closed when the answer takes longer than deadlineMs, asked twice", async () => {
    answer = () => undefined;
    const client = createRevocationClient({ address, deadlineMs: 100 });
    try {
      const error = await refusal(client.isRevoked("slow", inAnHour(), "t"));
      expect([error.code, error.message]).toEqual(["unavailable", "cannot check token revocation: identity service unreachable"]);
      expect(asked.map((a) => a.tokenId)).toEqual(["slow", "slow"]);
    } finally {
      client.close();
    }
  });

  it("asks once more when the first answer is late, and takes the second", async () => {
    answer = (tokenId, respond) => {
      // The first question is answered after its deadline, the second at once.
      if (asked.length === 1) setTimeout(() => respond(null, { revoked: false }), 400);
      else respond(null, { revoked: revokedIds.has(tokenId) });
    };
    const client = createRevocationClient({ address, deadlineMs: 100 });
    try {
      await expect(client.isRevoked("late-once", inAnHour(), "t")).resolves.toBe(false);
      await expect(client.isRevoked("revoked-1", inAnHour(), "t")).resolves.toBe(true);
      expect(asked.map((a) => a.tokenId)).toEqual(["late-once", "late-once", "revoked-1"]);
    } finally {
      client.close();
    }
  });

  it("fails closed on any other error, and passes on a refused token", async () => {
    const client = createRevocationClient({ address });
    try {
      answer = (_id, respond) => respond({ code: status.INTERNAL, details: "boom" });
      const internal = await refusal(client.isRevoked("x1", inAnHour(), "t"));
      expect([internal.code, internal.message]).toEqual([
        "unavailable",
        "cannot check token revocation: identity service answered INTERNAL",
      ]);
      answer = (_id, respond) => respond({ code: status.UNAUTHENTICATED, details: "bad token" });
      const refused = await refusal(client.isRevoked("x2", inAnHour(), "t"));
      expect([refused.code, refused.message]).toEqual(["unauthenticated", "invalid token: refused by the identity service"]);
      answer = (tokenId, respond) => respond(null, { revoked: revokedIds.has(tokenId) });
      await expect(client.isRevoked("x1", inAnHour(), "t")).resolves.toBe(false);
    } finally {
      client.close();
    }
  });

  it("passes on why the identity service refused a token, and remembers the refusal until the token expires", async () => {
    const client = createRevocationClient({ address, cacheTtlMs: 10 });
    try {
      answer = (_id, respond) => respond({ code: status.UNAUTHENTICATED, details: "invalid token: the user was disabled" });
      for (let i = 0; i < 2; i++) {
        const refused = await refusal(client.isRevoked("x3", inAnHour(), "t"));
        expect([refused.code, refused.message]).toEqual(["unauthenticated", "invalid token: the user was disabled"]);
        await sleep(20);
      }
      expect(asked.filter((a) => a.tokenId === "x3")).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it("refuses lookups once closed", async () => {
    const client = createRevocationClient({ address });
    client.close();
    const error = await refusal(client.isRevoked("ok-6", inAnHour(), "t"));
    expect(error.code).toBe("unavailable");
    expect(asked).toHaveLength(0);
  });
});
