import { logFormatOf, renderNotice, renderProcessLine } from "./start-output";

const now = new Date("2026-12-05T09:30:00.000Z");
const pino = (fields: Record<string, unknown>) => JSON.stringify({ time: "2026-12-05T09:29:59.000Z", service: "work-service", ...fields });

describe("npm start's output format", () => {
  it("is pretty at a terminal and JSON elsewhere, unless a flag or MSP_LOG_FORMAT says", () => {
    expect(logFormatOf([], {}, true)).toBe("pretty");
    expect(logFormatOf([], {}, false)).toBe("json");
    expect(logFormatOf(["--json"], {}, true)).toBe("json");
    expect(logFormatOf(["--pretty"], {}, false)).toBe("pretty");
    expect(logFormatOf([], { MSP_LOG_FORMAT: "JSON" }, true)).toBe("json");
    expect(() => logFormatOf([], { MSP_LOG_FORMAT: "yaml" }, true)).toThrow('MSP_LOG_FORMAT: "yaml" is not one of pretty, json');
  });
});

describe("a process's line at a terminal", () => {
  const render = (line: string, stream: "stdout" | "stderr" = "stdout") =>
    renderProcessLine("pretty", "work-service", "work-service listening on", line, stream, now);

  it("turns the process's listening line into its one ready line, and drops the log line that repeats it", () => {
    expect(render("work-service listening on 127.0.0.1:50051 (gRPC, reflection, health)")).toBe(
      "ready  work-service    127.0.0.1:50051 (gRPC, reflection, health)",
    );
    expect(render(pino({ level: 30, port: 50051, database: "sqlite (embedded)", msg: "work-service listening" }))).toBeUndefined();
  });

  it("shows a log line as time, level, service and message, its fields after, and an error's stack", () => {
    const time = new Date("2026-12-05T09:29:59.000Z").toTimeString().slice(0, 8);
    expect(render(pino({ level: 30, id: "b1", bytes: 2048, msg: "backup written" }))).toBe(
      `${time} INFO  work-service: backup written  id=b1  bytes=2048`,
    );
    const failed = render(pino({ level: 50, err: { message: "boom", stack: "Error: boom\n    at x" }, msg: "unexpected error" }));
    expect(failed).toBe(`${time} ERROR work-service: unexpected error\n    Error: boom\n        at x`);
  });
});

describe("a process's line elsewhere (JSON)", () => {
  it("passes pino lines through and wraps plain ones, naming the process", () => {
    const line = pino({ level: 30, msg: "hello" });
    expect(renderProcessLine("json", "work-service", "work-service listening on", line, "stdout", now)).toBe(line);
    expect(JSON.parse(renderProcessLine("json", "gateway", "gateway listening on", "Created the first user", "stdout", now)!)).toEqual({
      level: 30,
      time: now.toISOString(),
      service: "gateway",
      msg: "Created the first user",
    });
    expect(renderProcessLine("json", "gateway", "gateway listening on", "", "stdout", now)).toBeUndefined();
    expect(JSON.parse(renderNotice("json", "already running", "error", now))).toMatchObject({ level: 50, service: "npm start" });
    expect(renderNotice("pretty", "already running", "error", now)).toBe("npm start: already running");
  });
});
