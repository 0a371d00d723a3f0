import { DumpRowCounter, countDumpRows } from "./dump-row-counter";

/** A dump as MariaDB 10.11 writes it: one tuple per line. */
const modernDump = [
  "/*M!999999\\- enable the sandbox mode */ ",
  "-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB",
  "",
  "DROP TABLE IF EXISTS `empty`;",
  "CREATE TABLE `empty` (",
  "  `id` int(11) DEFAULT NULL",
  ") ENGINE=InnoDB;",
  "",
  "LOCK TABLES `empty` WRITE;",
  "/*!40000 ALTER TABLE `empty` DISABLE KEYS */;",
  "/*!40000 ALTER TABLE `empty` ENABLE KEYS */;",
  "UNLOCK TABLES;",
  "CREATE TABLE `t` (",
  "  `id` int(11) NOT NULL,",
  "  `s` varchar(50) DEFAULT NULL COMMENT 'not (a) row',",
  "  `b` blob DEFAULT NULL",
  ") ENGINE=InnoDB;",
  "INSERT INTO `t` VALUES",
  "(1,'a),(b',0x00FF),",
  "(2,'it\\'s \\\\ \\' x',0x2829),",
  "(3,NULL,NULL);",
  "",
].join("\n");

describe("DumpRowCounter", () => {
  it("counts one tuple per line (MariaDB 10.11), strings with parentheses and escaped quotes inside, and tables without rows", () => {
    expect(countDumpRows(modernDump)).toEqual({ empty: 0, t: 3 });
  });

  it("counts an extended INSERT on one line, several INSERTs of one table adding up", () => {
    const dump = [
      "CREATE TABLE `a` (`x` text);",
      "INSERT INTO `a` VALUES (1,'(('),(2,')'),(3,'\\\\'),(4,'\\\\\\''),(5,'');",
      "INSERT INTO `a` VALUES (6,'x''y');",
      "",
    ].join("\n");
    expect(countDumpRows(dump)).toEqual({ a: 6 });
  });

  it("gives the same counts however the stream is cut into chunks", () => {
    const bytes = Buffer.from(modernDump, "utf8");
    for (const size of [1, 2, 3, 7, 64]) {
      const counter = new DumpRowCounter();
      for (let at = 0; at < bytes.length; at += size) counter.write(bytes.subarray(at, at + size));
      expect(counter.counts()).toEqual({ empty: 0, t: 3 });
    }
  });

  it("reads names with doubled backticks and non-ASCII letters, and skips a column list (--complete-insert)", () => {
    const dump = [
      "CREATE TABLE `we``ird` (`a` int);",
      "INSERT INTO `we``ird` (`a`, `VALUES`) VALUES (1,2),(3,4);",
      "INSERT INTO `Café` VALUES ('é(',1);",
      "",
    ].join("\n");
    expect(countDumpRows(dump)).toEqual({ Café: 1, "we`ird": 2 });
  });

  it("counts binary columns written as hex or as escaped bytes", () => {
    const dump = ["INSERT INTO `bin` VALUES (0x27282927,'\\0\\'\\Z('),(0x,'\\\\');", ""].join("\n");
    expect(countDumpRows(Buffer.from(dump, "latin1"))).toEqual({ bin: 2 });
  });

  it("ignores INSERT statements in trigger and routine bodies (DELIMITER blocks)", () => {
    const dump = [
      "CREATE TABLE `log` (`id` int);",
      "DELIMITER ;;",
      "INSERT INTO `log` VALUES (1),(2);",
      "CREATE TABLE `not_a_table` (`id` int);",
      "END */;;",
      "DELIMITER ;",
      "INSERT INTO `log` VALUES (3);",
      "",
    ].join("\n");
    expect(countDumpRows(dump)).toEqual({ log: 1 });
  });

  it("counts nothing for comments and other statements that mention tables", () => {
    const dump = ["-- INSERT INTO `x` VALUES (1);", "/*!50001 CREATE TABLE `v` (`a` int) */;", "LOCK TABLES `y` WRITE;", ""].join("\n");
    expect(countDumpRows(dump)).toEqual({});
  });
});
