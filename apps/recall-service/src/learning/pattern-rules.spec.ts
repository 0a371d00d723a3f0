import { guessPatternType } from "./pattern-type";
import { maxTriggeringCommands, mergeTriggeringCommands, nextRecommendation } from "./pattern-rules";

describe("mergeTriggeringCommands", () => {
  it("appends without duplicates, keeping the latest", () => {
    expect(mergeTriggeringCommands(["a", "b"], "a")).toEqual(["b", "a"]);
    expect(mergeTriggeringCommands(["a"], "  ")).toEqual(["a"]);
    expect(mergeTriggeringCommands(["a"], null)).toEqual(["a"]);
    const many = Array.from({ length: maxTriggeringCommands }, (_, i) => `c${i}`);
    expect(mergeTriggeringCommands(many, "new")).toEqual([...many.slice(1), "new"]);
  });
});

describe("nextRecommendation", () => {
  it("takes the first fix found and keeps later different ones as alternatives", () => {
    const none = { recommendedSolution: null, alternatives: [] };
    const first = nextRecommendation(none, "run as root");
    expect(first).toEqual({ recommendedSolution: "run as root", alternatives: [] });
    expect(nextRecommendation(first, "run as root")).toBe(first);
    expect(nextRecommendation(first, "add the user to the docker group")).toEqual({
      recommendedSolution: "run as root",
      alternatives: ["add the user to the docker group"],
    });
    expect(nextRecommendation(first, "")).toBe(first);
  });
});

describe("guessPatternType", () => {
  it("takes the failure category when it says the kind", () => {
    expect(guessPatternType("permission", "whatever")).toBe("permission_denied");
    expect(guessPatternType("Network", "whatever")).toBe("service_unavailable");
    expect(guessPatternType("syntax", "whatever")).toBe("command_compatibility");
  });

  it("reads the error text otherwise", () => {
    expect(guessPatternType(null, "open /etc/shadow: Permission denied")).toBe("permission_denied");
    expect(guessPatternType(null, "The term 'Get-Foo' is not recognized as the name of a cmdlet")).toBe("command_compatibility");
    expect(guessPatternType("other", "bash: jq: command not found")).toBe("command_compatibility");
    expect(guessPatternType(null, "dial tcp 10.0.0.5:443: connect: connection refused")).toBe("service_unavailable");
    expect(guessPatternType(null, "This script requires PowerShell 5.1 or later; found version 2.0")).toBe("version_mismatch");
    expect(guessPatternType(null, "write /var/log/app.log: no space left on device")).toBe("environmental_limitation");
    expect(guessPatternType(null, "something odd happened")).toBe("configuration_error");
  });
});
