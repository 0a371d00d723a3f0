import { UpdateCredentialRequestSchema } from "@msp/proto/src/gen/es/msp/vault/v1/credential_pb";
import { setAt } from "./request-json";

describe("setAt: a path parameter inside the body's message", () => {
  it("lands in the object the body sent, or in a new one", () => {
    const json: Record<string, unknown> = { credential: { accessNotes: "x" } };
    setAt(json, UpdateCredentialRequestSchema, ["credential", "id"], "abc");
    expect(json).toEqual({ credential: { accessNotes: "x", id: "abc" } });
    const empty: Record<string, unknown> = {};
    setAt(empty, UpdateCredentialRequestSchema, ["credential", "id"], "abc");
    expect(empty).toEqual({ credential: { id: "abc" } });
  });

  it.each([true, 5, "x", []])("refuses a body whose field is %p instead of an object, naming it", (value) => {
    expect(() => setAt({ credential: value }, UpdateCredentialRequestSchema, ["credential", "id"], "abc")).toThrow(
      /credential must be a JSON object/,
    );
  });
});
