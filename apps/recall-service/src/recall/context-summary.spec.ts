import { RecallRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { chosenContextSummary, contextSummaryOf, contextSummarySql } from "./context-summary";
import { parseRecallRequest } from "./recall-request";

describe("which summary of a session recall shows", () => {
  it("takes the request's choice, else the service's setting", () => {
    expect(chosenContextSummary(null, "deterministic")).toBe("deterministic");
    expect(chosenContextSummary(null, "model")).toBe("model");
    expect(chosenContextSummary("model", "deterministic")).toBe("model");
    expect(chosenContextSummary("deterministic", "model")).toBe("deterministic");
  });

  it("shows the model's summary only where one was attached", () => {
    const both = { dense_summary: "compressor", model_summary: "model" };
    expect(contextSummaryOf(both, "model")).toBe("model");
    expect(contextSummaryOf(both, "deterministic")).toBe("compressor");
    expect(contextSummaryOf({ dense_summary: "compressor", model_summary: null }, "model")).toBe("compressor");
    expect(contextSummaryOf({ dense_summary: "compressor", model_summary: "  " }, "model")).toBe("compressor");
    expect(contextSummaryOf({ dense_summary: Buffer.from("compressor"), model_summary: Buffer.from("model") }, "model")).toBe("model");
    expect(contextSummarySql("deterministic")).toBe("dense_summary");
    expect(contextSummarySql("model")).toBe("COALESCE(NULLIF(model_summary, ''), dense_summary)");
  });

  it("reads context_summary from a recall request, naming the field when it is wrong", () => {
    expect(parseRecallRequest(RecallRequest.fromPartial({})).contextSummary).toBeNull();
    expect(parseRecallRequest(RecallRequest.fromPartial({ contextSummary: " Model " })).contextSummary).toBe("model");
    expect(parseRecallRequest(RecallRequest.fromPartial({ contextSummary: "deterministic" })).contextSummary).toBe("deterministic");
    expect(() => parseRecallRequest(RecallRequest.fromPartial({ contextSummary: "gpt" }))).toThrow(
      /context_summary: must be deterministic or model/,
    );
  });
});
