// Decisions and why: directives the user gave ("we will use docker only") and choices the
// assistant announced ("use nginx basic auth instead of ttyd's own"). A later decision on the
// same subject replaces an earlier one.
import type { Decision } from "../compressed-session";
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import { techTermsIn } from "./tags";
import { dedupeKey, sentences, shorten } from "./text-tools";

export interface FoundDecision extends Decision {
  step: number;
  byUser: boolean;
}

const USER_DIRECTIVE =
  /\b(we (will|'ll|are going to|should|must|need to) (use|not use|only|keep|go with|stick)|we('re| are) using|i meant|(don't|do not|dont|never) (use|do|create|add|push|run)|use \S+ (only|instead|for)|instead of|rather than|only use|use only|switch to|go with|prefer)\b|不要用|改用|使用.+而不是|只用/i;
const ASSISTANT_DECISION =
  /\b(decided|i('ve| have) decided|decision is|chose|choosing|opt(ed)? for|going with|switch(ed|ing)? to|better (approach|option|solution)|the (right|best|correct) (approach|option|way) is|(i'll|we'll|i will|we will|let's|let me) use|more (secure|reliable|robust|stable|efficient|secure) than)\b|改用|决定使用|选择使用/i;
/** "instead of" and "rather than" describe as often as they decide: only with a verb of choosing. */
const COMPARISON = /\b(instead of|rather than)\b/i;
const CHOOSING_VERB = /\b(i'll|we'll|i will|we will|let me|let's|i'm going to|we should|switch(ed|ing)? to|decided|going to use)\b/i;
const RATIONALE = /\b(because|since|as it|as the|so that|to avoid|to keep|which (is|means)|due to)\b|因为|为了|由于/i;
const NOISE =
  /^(let me (check|look|read|see|run|verify|test|try|examine|first|start)|i'll (check|look|read|run|start|try)|now let|perfect|great|excellent|good)\b/i;

/** "you are violating this, don't do that": a reproach names no choice to remember. */
const REPROACH = /\b(don'?t|do not|never) do (that|this|it)\b|\byou('re| are) violating\b/i;

function rationaleOf(sentence: string, next: string | undefined): string | undefined {
  const match = RATIONALE.exec(sentence);
  if (match && match.index > 10) return sentence.slice(match.index).trim();
  if (next && /^(this|that|because|it|since)\b/i.test(next) && RATIONALE.test(next)) return next;
  return undefined;
}

function subjectOf(sentence: string): string {
  const [term] = techTermsIn(sentence);
  if (term) return term;
  const used = /\b(?:use|using|with|switch(?:ed)? to|go with)\s+([\w./-]+(?:\s[\w./-]+)?)/i.exec(sentence);
  return (used?.[1] ?? "approach").toLowerCase();
}

function stripFiller(text: string): string {
  return text
    .replace(/\s*(ultra)?think( (harder|hard|deeply))?\s*\\?$/i, "")
    .replace(/\s*@@? -\d+,\d+ \+\d+,\d+ @@?.*$/, "")
    .replace(/^(no|ok|okay|yes),?\s+/i, "");
}

export function collectDecisions(context: CompressContext): FoundDecision[] {
  const found: FoundDecision[] = [];
  const { steps, sidechainOnly } = context.timeline;
  let afterSlashCommand = false;
  steps.forEach((step, index) => {
    if (step.kind === "command") afterSlashCommand = true;
    if (step.kind === "prompt") afterSlashCommand = false;
    if (step.kind === "prompt") {
      const text = stripFiller(step.text.split("\n")[0] ?? "");
      if (text.length >= 12 && text.length <= 400 && USER_DIRECTIVE.test(text) && !REPROACH.test(text)) {
        // The sentences that state the choice, not the whole prompt around them ("Good. We will use
        // postgres 16 only. Next: ..."): the same directive said twice is then one decision.
        const stated = sentences(text).filter((sentence) => USER_DIRECTIVE.test(sentence) && !REPROACH.test(sentence));
        const clean = context.redact(stated.length > 0 ? stated.join(" ") : text);
        const decision: FoundDecision = {
          decision: shorten(clean, 200),
          subject: context.redact(subjectOf(clean)),
          step: index,
          byUser: true,
        };
        const why = rationaleOf(clean, undefined);
        if (why) decision.rationale = shorten(why, 160);
        found.push(decision);
      }
      return;
    }
    // Answers to slash commands (plugin notices, /model) carry no decisions of the session.
    if (step.kind !== "say" || afterSlashCommand || (step.event.isSidechain && !sidechainOnly)) return;
    const list = sentences(step.text);
    list.forEach((sentence, position) => {
      const decides = ASSISTANT_DECISION.test(sentence) || (COMPARISON.test(sentence) && CHOOSING_VERB.test(sentence));
      if (sentence.length < 25 || sentence.length > 300 || !decides || NOISE.test(sentence)) return;
      const clean = relativize(context.redact(sentence), context);
      const subject = context.redact(subjectOf(clean));
      // A choice of the assistant is kept when it names what was chosen.
      if (subject === "approach" && !/`[^`]+`/.test(sentence)) return;
      const decision: FoundDecision = { decision: shorten(clean, 200), subject, step: index, byUser: false };
      const why = rationaleOf(clean, list[position + 1] === undefined ? undefined : context.redact(list[position + 1] ?? ""));
      if (why) decision.rationale = shorten(why, 160);
      found.push(decision);
    });
  });
  // Supersession: the last word on a subject wins; duplicates collapse.
  const latest = new Map<string, FoundDecision>();
  for (const decision of found)
    latest.set(decision.subject === "approach" ? `approach:${dedupeKey(decision.decision).slice(0, 40)}` : decision.subject, decision);
  const seen = new Set<string>();
  return [...latest.values()]
    .sort((a, b) => a.step - b.step)
    .filter((decision) => {
      const key = dedupeKey(decision.decision);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The public form of a decision. */
export function toDecision(found: FoundDecision): Decision {
  const decision: Decision = { decision: found.byUser ? `user: ${found.decision}` : found.decision, subject: found.subject };
  if (found.rationale) decision.rationale = found.rationale;
  return decision;
}
