import { candidateWords, matchHosts } from "./host-names";

const hosts = [
  { id: "dc", hostname: "dc01.corp.example.com", ipAddress: "10.0.0.10", aliases: ["ad-main"] },
  { id: "web", hostname: "web01", ipAddress: "10.0.0.20", aliases: [] },
  { id: "v6", hostname: "nas", ipAddress: "2001:db8::5", aliases: [] },
];

describe("candidateWords", () => {
  it("takes host-like words, cutting sentence ends, ports and paths", () => {
    const words = candidateWords("Why does DC01.corp.example.com. fail? ssh web01:22 and 10.0.0.20:8080, also 2001:db8::5");
    for (const word of ["dc01.corp.example.com", "web01", "10.0.0.20", "2001:db8::5"]) expect(words.has(word)).toBe(true);
  });
});

describe("matchHosts", () => {
  it("matches by hostname, IP, alias and short name, the most specific first", () => {
    expect(matchHosts(["the dc01 box"], hosts, 3)).toEqual([{ id: "dc", matchedBy: "short_name", matchedText: "dc01" }]);
    expect(matchHosts(["restart web01 and check 10.0.0.10"], hosts, 3)).toEqual([
      { id: "web", matchedBy: "hostname", matchedText: "web01" },
      { id: "dc", matchedBy: "ip_address", matchedText: "10.0.0.10" },
    ]);
    expect(matchHosts(["ad-main is slow"], hosts, 3)).toEqual([{ id: "dc", matchedBy: "alias", matchedText: "ad-main" }]);
    expect(matchHosts(["mount 2001:DB8::5 share"], hosts, 3)).toEqual([{ id: "v6", matchedBy: "ip_address", matchedText: "2001:db8::5" }]);
  });

  it("matches nothing in words that only contain a name, and honours the limit", () => {
    expect(matchHosts(["the web0123 cluster and 10.0.0.100"], hosts, 3)).toEqual([]);
    expect(matchHosts(["web01 10.0.0.10 nas"], hosts, 1)).toHaveLength(1);
  });
});
