/** The most a model summary may hold; longer answers are cut (the platform takes 20,000). */
export const maxSummaryChars = 6_000;

/**
 * What the model is: replaces Claude Code's own system prompt, so a summary costs only what it
 * reads and writes (no tool definitions, no coding guidelines), and it answers in one turn.
 */
export const summarySystemPrompt =
  "You write the memory of a technician's Claude Code session: the notes their next session, on any machine, starts with. " +
  "You read a session and answer with the notes only, plain text, no preamble. You use no tools.";

/**
 * The request, with the session after it. The sections are what a technician needs the next day
 * (issue 16: goal and motivation, decisions and why, settled values, files, reported errors,
 * dead ends, the state at the end); secrets stay out, markers of removed secrets stay as they are.
 */
export function summaryPrompt(session: string): string {
  return [
    `Summarise the Claude Code session below in at most ${Math.floor(maxSummaryChars * 0.6)} characters, as dense lines under these headings (leave out a heading with nothing under it):`,
    "Goal: what the user wanted and why (their motivation and constraints).",
    "Decisions: each design or tool choice with its reason, whoever gave it.",
    "Settled values: ports, URLs, hosts, IP addresses, paths, environment variables, versions, git remotes and branches, exactly as written.",
    "Files: each file created or changed, with what it is for, in one line.",
    "Problems: each error met (quote its message) -> cause -> fix -> how it was verified; errors the user reported back too.",
    "Dead ends: what was tried and abandoned, and why.",
    "State at the end: what is done, what is open, the exact next step.",
    "Rules: keep names, numbers and error messages exact. Never write a password, token or key; keep [REDACTED:...] and [private] markers as they are. " +
      "No raw file contents, no routine commands that merely succeeded, nothing said twice.",
    "",
    "<session>",
    session,
    "</session>",
  ].join("\n");
}
