import type { GuessableCategory } from "./work-item-category";
import { categoryKeywords, defaultCategory, guessCategory, tieOrder } from "./work-item-category";

const guess = (title: string, description = "") => guessCategory(title, description).category;

describe("guessCategory", () => {
  it.each<[GuessableCategory, string]>([
    ["infrastructure", "SSH into the mail server"],
    ["infrastructure", "docker restart of the proxy"],
    ["infrastructure", "Network cabling in the back office"],
    ["troubleshooting", "Printer not working"],
    ["troubleshooting", "Broken login page"],
    ["troubleshooting", "Backup job failed"],
    ["configuration", "Configure VPN for new laptop"],
    ["configuration", "Change settings of the shared mailbox"],
    ["configuration", "Modify GPO for screen lock"],
    ["development", "Implement the invoice export"],
    ["development", "Build the onboarding script"],
    ["maintenance", "Cleanup of old log files"],
    ["maintenance", "Patch Tuesday"],
    ["maintenance", "Optimize the database"],
    ["security", "Malware found on reception PC"],
    ["security", "Unauthorized login attempts"],
    ["security", "Firewall rules review"],
  ])("guesses %s for %j", (category, title) => {
    expect(guess(title)).toBe(category);
  });

  it("finds every keyword of every category, in the title and in the description", () => {
    for (const category of tieOrder) {
      for (const keyword of categoryKeywords[category]) {
        expect([keyword, guess(`About ${keyword} today`)]).toEqual([keyword, category]);
        expect([keyword, guess("Today's work", `Notes: ${keyword}.`)]).toEqual([keyword, category]);
      }
    }
  });

  it("matches whole words and phrases, any case, with common endings", () => {
    expect(guess("Restarted SERVICES on web01")).toBe("infrastructure");
    expect(guess("Configured the router")).toBe("configuration");
    expect(guess("Modified the backup window")).toBe("configuration"); // modify (3) = backup (3): configuration comes first
    expect(guess("Vulnerabilities in the web app")).toBe("security");
    expect(guess("Updating drivers")).toBe("maintenance");
    expect(guess("Coding a small tool")).toBe("development");
    // Words that merely contain a keyword do not count.
    expect(guessCategory("Decode the tissue dispatcher", "").matched).toEqual([]);
    expect(guessCategory("Codec and observers", "").matched).toEqual([]);
    // A phrase needs its words together, in order.
    expect(guessCategory("Restart docker", "").matched).toEqual([]);
    expect(guessCategory("Docker-restart nightly", "").matched).toEqual(["title:docker restart"]);
    expect(guessCategory("It was not   working", "").matched).toEqual(["title:not working"]);
  });

  it("weighs a title hit (3) over a description hit (1) and counts each keyword once per text", () => {
    const result = guessCategory("Update the firmware", "error error error, then it failed");
    expect(result.scores.maintenance).toBe(3);
    expect(result.scores.troubleshooting).toBe(2);
    expect(result.category).toBe("maintenance");
    // Three description hits tie with one title hit; four outweigh it.
    expect(guessCategory("Update the firmware", "error, then it failed, a known issue").scores.troubleshooting).toBe(3);
    expect(guess("Update the firmware", "error, it failed, broken, a known issue")).toBe("troubleshooting");
    // A keyword in both texts counts in both.
    expect(guessCategory("Server move", "the server was moved").scores.infrastructure).toBe(4);
  });

  it("breaks ties by the fixed order: security, troubleshooting, infrastructure, configuration, maintenance, development", () => {
    expect(tieOrder).toEqual(["security", "troubleshooting", "infrastructure", "configuration", "maintenance", "development"]);
    expect(guess("Firewall error")).toBe("security");
    expect(guess("Server error")).toBe("troubleshooting");
    expect(guess("Configure the server")).toBe("infrastructure");
    expect(guess("Setup nightly backup")).toBe("configuration");
    expect(guess("Create a backup")).toBe("maintenance");
    expect(guess("Breach found on the network while we build the code")).toBe("development"); // development 6 > security 3, infrastructure 3
  });

  it("falls back to maintenance when nothing matches, and never guesses documentation", () => {
    expect(defaultCategory).toBe("maintenance");
    expect(guess("Talked to Bob")).toBe("maintenance");
    expect(guess("")).toBe("maintenance");
    expect(guessCategory(null, undefined).category).toBe("maintenance");
    expect(guess("Wrote documentation for the wiki")).toBe("maintenance");
  });
});
