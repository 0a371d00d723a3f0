// Words a technician uses for the same thing: a question says "stall" where the session said
// "stuck" or "hanging", "RAM" where it said "memory" (or 内存: some sessions are in Chinese).
// A general vocabulary of operations work, never the words of one question.
import { stemOf } from "./terms";

/** Each group: words that name the same thing in a question and in a session's notes. */
const synonymGroups: readonly (readonly string[])[] = [
  ["stall", "stuck", "hang", "hung", "freeze", "frozen", "卡住", "卡死"],
  ["ram", "memory", "内存"],
  ["storage", "disk", "存储", "磁盘"],
  ["fix", "resolve", "solve", "workaround", "修复", "解决"],
  ["install", "安装"],
  ["port", "端口"],
  ["folder", "directory", "dir", "目录"],
  ["config", "configuration", "setting", "配置"],
  ["delete", "remove", "删除"],
  ["download", "fetch", "下载"],
  ["version", "版本"],
  ["slow", "latency", "performance", "性能"],
  ["network", "网络"],
  ["log", "日志"],
  ["permission", "denied", "权限"],
  ["timeout", "超时"],
  ["crash", "segfault", "崩溃"],
];

/** Whether a word is written in a script without spaces between words (CJK): it is matched as a part of a line, not as a word. */
export function isUnspacedScript(word: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(word);
}

/** A spaced-script word as lines are compared: its stem; an unspaced-script word as written. */
const keyOf = (word: string) => (isUnspacedScript(word) ? word : stemOf(word.toLowerCase()));

const groupsByKey = new Map<string, readonly string[]>();
for (const group of synonymGroups) {
  const keys = group.map(keyOf);
  for (const key of keys) groupsByKey.set(key, keys);
}

/** The forms a query word may take in a line: its stem and its synonyms' stems (or, in CJK, their characters). */
export function formsOf(word: string): string[] {
  const key = keyOf(word);
  return [...new Set([key, ...(groupsByKey.get(key) ?? [])])];
}
