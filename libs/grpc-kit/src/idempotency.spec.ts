// The rules of idempotency keys that need no database: which keys are taken, how a caller's key is
// named, and the request fingerprint (an HMAC, so a request with a password cannot be guessed back).
import { Metadata } from "@grpc/grpc-js";
import type { Principal } from "@msp/auth";
import { DomainError } from "@msp/errors";
import {
  fingerprintOf,
  idempotencyKeyMetadata,
  idempotencyKeyOf,
  idempotencyKeyProblem,
  idempotencyTableOf,
  keyIdOf,
  maxIdempotencyKeyLength,
} from "./idempotency";

const principal = (subject: string, kind: Principal["kind"] = "user"): Principal => ({
  subject,
  username: `user-${subject}`,
  role: "technician",
  scopes: [],
  kind,
  tokenId: `jti-${subject}`,
  expiresAt: new Date(Date.now() + 60_000),
  userId: subject,
});

function metadataWith(...keys: (string | Buffer)[]): Metadata {
  const metadata = new Metadata();
  for (const key of keys) metadata.add(idempotencyKeyMetadata, key as string);
  return metadata;
}

describe("idempotency keys", () => {
  it("takes 1 to 255 printable ASCII characters, such as a UUID", () => {
    expect(idempotencyKeyProblem("6f1c2f0e-3c1a-4d2b-9a55-0c7e3e0a8d11")).toBeUndefined();
    expect(idempotencyKeyProblem("a")).toBeUndefined();
    expect(idempotencyKeyProblem("with spaces and ~!@#$%^&*()")).toBeUndefined();
    expect(idempotencyKeyProblem("x".repeat(maxIdempotencyKeyLength))).toBeUndefined();
  });

  it("refuses an empty, a too long, or a non-printable key, saying why", () => {
    expect(idempotencyKeyProblem("")).toBe("must not be empty");
    expect(idempotencyKeyProblem("x".repeat(maxIdempotencyKeyLength + 1))).toMatch(/at most 255 characters/);
    for (const bad of ["tab\there", "new\nline", "nul\u0000", "del\u007f", "é", "emoji 😀"]) {
      expect(idempotencyKeyProblem(bad)).toMatch(/printable ASCII/);
    }
  });

  it("reads the key from the call's metadata, or none; a bad one or two of them is INVALID_ARGUMENT naming the metadata", () => {
    expect(idempotencyKeyOf(new Metadata())).toBeUndefined();
    expect(idempotencyKeyOf(metadataWith("k-1"))).toBe("k-1");
    const refusal = (metadata: Metadata) => {
      try {
        idempotencyKeyOf(metadata);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const twice = refusal(metadataWith("k-1", "k-2"));
    expect(twice).toBeInstanceOf(DomainError);
    expect(twice).toMatchObject({ code: "invalid_argument", message: "idempotency-key: send exactly one key, as text" });
    expect(refusal(metadataWith("x".repeat(300)))).toMatchObject({
      code: "invalid_argument",
      message: expect.stringMatching(/^idempotency-key: must be at most 255/),
    });
  });

  it("keeps each caller's keys apart, per method", () => {
    const key = "same-key";
    const method = "msp.work.v1.BillableTimeService/CreateBillableTime";
    const alice = keyIdOf(principal("a"), method, key);
    expect(alice).toMatch(/^[0-9a-f]{64}$/);
    expect(keyIdOf(principal("a"), method, key)).toBe(alice);
    expect(keyIdOf(principal("b"), method, key)).not.toBe(alice);
    expect(keyIdOf(principal("a", "api_key"), method, key)).not.toBe(alice);
    expect(keyIdOf(principal("a"), "msp.work.v1.ClientService/CreateClient", key)).not.toBe(alice);
    expect(keyIdOf(principal("a"), method, "other-key")).not.toBe(alice);
  });

  it("fingerprints a request with an HMAC: the same request the same, another request or another secret not", () => {
    const secret = Buffer.alloc(32, 7);
    const method = "msp.identity.v1.UserService/CreateUser";
    const request = Buffer.from("password: correct horse battery staple");
    const print = fingerprintOf(secret, method, request);
    expect(print).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(secret, method, Buffer.from(request))).toBe(print);
    expect(fingerprintOf(secret, method, Buffer.from("password: another"))).not.toBe(print);
    expect(fingerprintOf(secret, "msp.identity.v1.UserService/UpdateUser", request)).not.toBe(print);
    expect(fingerprintOf(Buffer.alloc(32, 8), method, request)).not.toBe(print);
  });

  it("names each service's own table", () => {
    expect(idempotencyTableOf("work-service")).toBe("work_idempotency_keys");
    expect(idempotencyTableOf("recall-service")).toBe("recall_idempotency_keys");
    expect(idempotencyTableOf("identity")).toBe("identity_idempotency_keys");
  });
});
