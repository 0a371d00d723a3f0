const insertPrefix = Buffer.from("INSERT INTO `");
const createPrefix = Buffer.from("CREATE TABLE `");
const delimiterPrefix = Buffer.from("DELIMITER ");
const valuesKeyword = Buffer.from("VALUES");

const newline = 0x0a;
const backtick = 0x60;
const quote = 0x27;
const backslash = 0x5c;
const openParen = 0x28;
const closeParen = 0x29;
const semicolon = 0x3b;

/** A table name longer than this is not a name: the line is skipped. */
const maxNameBytes = 1024;

type Mode = "lineStart" | "skipLine" | "name" | "nameTick" | "beforeValues" | "values" | "delimiter";

/**
 * Counts the rows a `mariadb-dump` holds per table, fed the dump's bytes as they stream (chunks
 * may split anything anywhere). A table counts from its `CREATE TABLE` line (0 rows) and gains
 * one row per top-level tuple of each `INSERT INTO \`t\` VALUES (…),(…);`, whether the statement
 * is on one line (older dumps) or one tuple per line (MariaDB 10.11). Single-quoted strings are
 * skipped with their backslash escapes, so `'a),(b'` or `'it\'s'` count nothing; binary columns
 * are hex (`--hex-blob`) or escaped strings. Statements inside `DELIMITER ;;` blocks (trigger and
 * routine bodies) are not data and are ignored. Works on bytes: quotes, parentheses and
 * backslashes never occur inside a UTF-8 multi-byte character.
 */
export class DumpRowCounter {
  private readonly rows = new Map<string, number>();
  private mode: Mode = "lineStart";
  /** Line-start prefixes still possible, and how many bytes of the line matched them. */
  private candidates: Buffer[] = [];
  private matched = 0;
  private nameBytes: number[] = [];
  private nameIsInsert = false;
  private table = "";
  private inBacktick = false;
  private valuesMatched = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private tuples = 0;
  /** Between `DELIMITER ;;` and `DELIMITER ;`: trigger and routine bodies. */
  private inRoutines = false;
  private delimiterBytes: number[] = [];

  constructor() {
    this.startLine();
  }

  /** Feeds the next bytes of the dump. */
  write(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.mode) {
        case "skipLine": {
          const end = chunk.indexOf(newline, i);
          if (end === -1) return;
          i = end + 1;
          this.startLine();
          break;
        }
        case "values":
          i = this.scanValues(chunk, i);
          break;
        case "lineStart":
          this.lineStartByte(chunk[i++]!);
          break;
        case "name":
          this.nameByte(chunk[i++]!);
          break;
        case "nameTick":
          // A doubled backtick is one backtick of the name; anything else ends the name and is
          // looked at again in the next mode.
          if (chunk[i] === backtick) {
            this.nameBytes.push(backtick);
            this.mode = "name";
            i++;
          } else {
            this.endName();
          }
          break;
        case "beforeValues":
          this.beforeValuesByte(chunk[i++]!);
          break;
        case "delimiter":
          this.delimiterByte(chunk[i++]!);
          break;
      }
    }
  }

  /** Rows per table so far, tables in name order. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private startLine(): void {
    this.mode = "lineStart";
    this.matched = 0;
    this.candidates = this.inRoutines ? [delimiterPrefix] : [insertPrefix, createPrefix, delimiterPrefix];
  }

  private lineStartByte(byte: number): void {
    if (byte === newline) return this.startLine();
    const at = this.matched++;
    this.candidates = this.candidates.filter((prefix) => prefix[at] === byte);
    const whole = this.candidates.find((prefix) => prefix.length === this.matched);
    if (whole === insertPrefix || whole === createPrefix) {
      this.nameIsInsert = whole === insertPrefix;
      this.nameBytes = [];
      this.mode = "name";
    } else if (whole === delimiterPrefix) {
      this.delimiterBytes = [];
      this.mode = "delimiter";
    } else if (this.candidates.length === 0) {
      this.mode = "skipLine";
    }
  }

  private nameByte(byte: number): void {
    if (byte === backtick) this.mode = "nameTick";
    else if (byte === newline || this.nameBytes.length >= maxNameBytes) this.startLineOrSkip(byte);
    else this.nameBytes.push(byte);
  }

  private endName(): void {
    this.table = Buffer.from(this.nameBytes).toString("utf8");
    if (!this.rows.has(this.table)) this.rows.set(this.table, 0);
    if (!this.nameIsInsert) {
      this.mode = "skipLine";
      return;
    }
    this.mode = "beforeValues";
    this.inBacktick = false;
    this.valuesMatched = 0;
  }

  /** Skips a column list (`(\`a\`,\`b\`)`, with --complete-insert) up to the VALUES keyword. */
  private beforeValuesByte(byte: number): void {
    if (this.inBacktick) {
      if (byte === backtick) this.inBacktick = false;
      return;
    }
    if (byte === backtick) {
      this.inBacktick = true;
      this.valuesMatched = 0;
    } else if (byte === semicolon) {
      this.mode = "skipLine"; // no VALUES: not a statement this counter understands
    } else if (byte === valuesKeyword[this.valuesMatched]) {
      this.valuesMatched++;
      if (this.valuesMatched === valuesKeyword.length) {
        this.mode = "values";
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        this.tuples = 0;
      }
    } else {
      this.valuesMatched = byte === valuesKeyword[0] ? 1 : 0;
    }
  }

  /** The hot loop: tuples of one INSERT, up to its `;`. Returns where it stopped. */
  private scanValues(chunk: Uint8Array, from: number): number {
    const n = chunk.length;
    for (let i = from; i < n; i++) {
      const byte = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === backslash) this.escaped = true;
        else if (byte === quote) this.inString = false;
      } else if (byte === quote) {
        this.inString = true;
      } else if (byte === openParen) {
        if (this.depth === 0) this.tuples++;
        this.depth++;
      } else if (byte === closeParen) {
        if (this.depth > 0) this.depth--;
      } else if (byte === semicolon && this.depth === 0) {
        this.rows.set(this.table, (this.rows.get(this.table) ?? 0) + this.tuples);
        this.mode = "skipLine";
        return i + 1;
      }
    }
    return n;
  }

  private delimiterByte(byte: number): void {
    if (byte !== newline) {
      this.delimiterBytes.push(byte);
      return;
    }
    this.inRoutines = Buffer.from(this.delimiterBytes).toString("utf8").trim() !== ";";
    this.startLine();
  }

  private startLineOrSkip(byte: number): void {
    if (byte === newline) this.startLine();
    else this.mode = "skipLine";
  }
}

/** Rows per table of a whole dump held in memory (tests, small dumps). */
export function countDumpRows(dump: string | Uint8Array): Record<string, number> {
  const counter = new DumpRowCounter();
  counter.write(typeof dump === "string" ? Buffer.from(dump, "utf8") : dump);
  return counter.counts();
}
