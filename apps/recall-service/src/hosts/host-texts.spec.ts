import { folderBelowHome, hostMatchTexts, maxHostTextChars } from "./host-texts";

describe("hostMatchTexts", () => {
  it("looks in the query only when there is one (a prompt's names, msp recall HOST)", () => {
    expect(hostMatchTexts({ query: "dc01 10.0.0.10", cwd: "/home/ana/clients/web02", repository: "github.com/acme/web02" })).toEqual([
      "dc01 10.0.0.10",
    ]);
  });

  it("looks in the folder below the home folder and the repository without its forge when there is no query", () => {
    expect(
      hostMatchTexts({ query: " ", cwd: "/home/ana/clients/acme/dc01-migration", repository: "github.com/acme/dc01-scripts" }),
    ).toEqual(["clients/acme/dc01-migration", "acme/dc01-scripts"]);
  });

  it("always looks for the scope's host, and gives nothing when nothing could name a host", () => {
    expect(hostMatchTexts({ query: "", host: "web01" })).toEqual(["web01"]);
    expect(hostMatchTexts({ query: "dc01", host: "dc01" })).toEqual(["dc01"]);
    expect(hostMatchTexts({ query: "" })).toEqual([]);
    expect(hostMatchTexts({ query: "", cwd: "/home/ana" })).toEqual([]);
  });

  it("looks only at the start of a very long query", () => {
    const [text] = hostMatchTexts({ query: "x".repeat(maxHostTextChars * 3) });
    expect(text).toHaveLength(maxHostTextChars);
  });
});

describe("folderBelowHome", () => {
  it("drops the user's home folder on Linux, macOS and Windows", () => {
    expect(folderBelowHome("/home/ana/work/dc01")).toBe("work/dc01");
    expect(folderBelowHome("/Users/ana/work/dc01/")).toBe("work/dc01");
    expect(folderBelowHome("C:\\Users\\ana\\work\\dc01")).toBe("work/dc01");
    expect(folderBelowHome("/root/dc01")).toBe("dc01");
    expect(folderBelowHome("/srv/clients/dc01")).toBe("srv/clients/dc01");
    expect(folderBelowHome("/home/ana")).toBe("");
  });
});
