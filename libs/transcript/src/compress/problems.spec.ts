import { collectProblems } from "./problems";
import { bashSession } from "./tool-session.testing";

const badWrite = {
  command: "",
  tool: "Write",
  input: { file_path: "/srv/app/plan.md" },
  output:
    "<tool_use_error>InputValidationError: Write failed due to the following issues:\nThe required parameter `content` is missing</tool_use_error>",
  isError: true,
};

describe("collectProblems", () => {
  it("counts a tool's own error as a problem once the session repeats it three times", () => {
    const stuck = collectProblems(bashSession("write the plan", [badWrite, badWrite, badWrite]));
    expect(stuck.map((problem) => problem.problem)).toEqual([
      "Write failed 3 times: InputValidationError: Write failed due to the following issues:",
    ]);
    expect(collectProblems(bashSession("write the plan", [badWrite, badWrite]))).toEqual([]);
  });

  it("leaves out a repeated tool error the session got past", () => {
    const goodWrite = { ...badWrite, input: { file_path: "/srv/app/plan.md", content: "# Plan" }, output: "File created", isError: false };
    expect(collectProblems(bashSession("write the plan", [badWrite, badWrite, badWrite, goodWrite]))).toEqual([]);
  });
});
