import { collectDeadEnds, refusalReason } from "./dead-ends";
import { bashSession } from "./tool-session.testing";

describe("refusalReason", () => {
  it("gives the classifier's reason, the user's refusal, a denial or the first line", () => {
    expect(refusalReason("Permission for this action was denied. Reason: Irreversible deletion of SDK files. If you ...")).toBe(
      "Irreversible deletion of SDK files",
    );
    expect(refusalReason("The user doesn't want to proceed with this tool use.")).toBe("by the user");
    expect(refusalReason("Permission to use Bash with command rm -rf x has been denied.")).toBe("permission denied");
    expect(refusalReason("model-x is temporarily unavailable, so auto mode cannot determine the safety of Bash")).toContain(
      "temporarily unavailable",
    );
  });
});

describe("collectDeadEnds", () => {
  it("lists a refused command with its reason even when no correction from the user follows", () => {
    const context = bashSession("clean up the sdk", [
      {
        command: "rm -rf /opt/sdk/system-images/old",
        output: "Permission for this action was denied. Reason: Irreversible deletion of SDK files.",
        isError: true,
      },
      { command: "sdkmanager --list_installed", output: "system-images;android-36" },
    ]);
    expect(collectDeadEnds(context, [])).toEqual(["refused: `rm -rf /opt/sdk/system-images/old` (Irreversible deletion of SDK files)"]);
  });
});
