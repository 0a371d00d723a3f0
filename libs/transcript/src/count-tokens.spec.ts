import { countTokens } from "./count-tokens";

describe("countTokens", () => {
  it("counts o200k_base BPE tokens", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("hello world")).toBe(2);
    expect(countTokens("docker-compose up -d")).toBeGreaterThan(3);
  });

  it("counts special-token text as plain text instead of throwing", () => {
    expect(countTokens("before <|endoftext|> after")).toBeGreaterThan(5);
  });

  it("refuses what is not a string", () => {
    expect(() => countTokens(undefined as unknown as string)).toThrow(TypeError);
  });
});
