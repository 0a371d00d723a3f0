import { definedNames, fileKind, outline, ownWords } from "./file-outline";

const text = (...lines: string[]) => lines.join("\n");

describe("fileKind", () => {
  it("tells a file's kind by its name, and by its shebang when the name says nothing", () => {
    expect(fileKind("deploy/Dockerfile")).toBe("dockerfile");
    expect(fileKind("Dockerfile.prod")).toBe("dockerfile");
    expect(fileKind("Makefile")).toBe("makefile");
    expect(fileKind("docker-compose-simple.yml")).toBe("compose");
    expect(fileKind("/etc/systemd/system/backup.timer")).toBe("systemd");
    expect(fileKind("/etc/nginx/sites-available/billing")).toBe("nginx");
    expect(fileKind("/etc/default/grub")).toBe("config");
    expect(fileKind("bin/rotate-logs", "#!/usr/bin/env bash\necho hi")).toBe("shell");
    expect(fileKind("bin/report", "#!/usr/bin/python3\nprint(1)")).toBe("python");
    expect(fileKind("notes.txt", "just text")).toBe("other");
  });
});

describe("ownWords", () => {
  it("reads a script's header comment after its shebang, and its usage line", () => {
    const script = text(
      "#!/usr/bin/env bash",
      "set -euo pipefail",
      "# ==================================",
      "# Nightly pg_dump of the msp database to /srv/backup.",
      "# Keeps 7 days of dumps.",
      "# ==================================",
      'if [ $# -ne 1 ]; then echo "Usage: $0 DATABASE" >&2; exit 2; fi',
      'pg_dump "$1" > /srv/backup/$(date +%F).sql',
    );
    expect(ownWords("scripts/backup.sh", script)).toBe(
      "Nightly pg_dump of the msp database to /srv/backup; Keeps 7 days of dumps; usage: <script> DATABASE",
    );
  });

  it("reads a Python module's docstring before its comments", () => {
    const module = text("#!/usr/bin/env python3", '"""', "Rotate the invoice archive on app01.", "", "Details follow.", '"""', "import os");
    expect(ownWords("rotate.py", module)).toBe("Rotate the invoice archive on app01");
  });

  it("falls back to argparse's description in a Python file without a docstring", () => {
    const module = text("import argparse", 'parser = argparse.ArgumentParser(description="Report disk usage per client share")');
    expect(ownWords("report.py", module)).toBe("Report disk usage per client share");
  });

  it("reads a JSDoc block, a markdown title, an HTML title and a unit's Description", () => {
    expect(ownWords("src/ping.ts", text("/**", " * Pings every host of a client.", " * @param host the host", " */", "export {}"))).toBe(
      "Pings every host of a client",
    );
    expect(ownWords("docs/RUNBOOK.md", text("# Runbook: mail relay failover", "", "## Steps"))).toBe("Runbook: mail relay failover");
    expect(ownWords("status.html", "<html><head><title>Status of app01</title></head></html>")).toBe("Status of app01");
    expect(ownWords("backup.service", text("[Unit]", "Description=Nightly billing backup", "[Service]"))).toBe("Nightly billing backup");
  });

  it("skips licence, encoding and lint lines, and says nothing for a file without a header", () => {
    expect(ownWords("x.py", text("# -*- coding: utf-8 -*-", "# Copyright 2026 Acme", "# Syncs the AD groups", "import ldap"))).toBe(
      "Syncs the AD groups",
    );
    expect(ownWords("x.c", text("#include <stdio.h>", "int main(void) { return 0; }"))).toBeUndefined();
    expect(ownWords("notes.txt", "password list for the router")).toBeUndefined();
  });
});

describe("outline", () => {
  it("gives a Dockerfile's images, ports and command", () => {
    const dockerfile = text(
      "FROM node:20-alpine AS build",
      "RUN npm ci",
      "FROM nginx:1.27-alpine",
      "EXPOSE 80 443",
      'CMD ["nginx", "-g", "daemon off;"]',
    );
    expect(outline("Dockerfile", dockerfile)).toEqual([
      "FROM node:20-alpine, nginx:1.27-alpine",
      "EXPOSE 80 443",
      "runs nginx -g daemon off;",
    ]);
  });

  it("gives a Makefile's targets and what it builds, not its variables or pattern rules", () => {
    const makefile = text(
      "CC = gcc",
      "CFLAGS := -O2",
      "TARGET = libguard.so",
      ".PHONY: all clean",
      "all: $(TARGET)",
      "%.o: %.c",
      "\t$(CC) -c $<",
      "clean:",
      "\trm -f *.o",
    );
    expect(outline("Makefile", makefile)).toEqual(["targets all, clean", "builds libguard.so"]);
  });

  it("gives a package.json's name, scripts and bin", () => {
    const pkg = JSON.stringify({
      name: "ticket-sync",
      version: "1.2.0",
      scripts: { build: "tsc", test: "jest" },
      bin: { "ticket-sync": "x" },
    });
    expect(outline("package.json", pkg)).toEqual(["package ticket-sync@1.2.0", "scripts build, test", "bin ticket-sync"]);
  });

  it("gives a compose file's services with their images and ports", () => {
    const compose = text(
      "services:",
      "  db:",
      "    image: postgres:16-alpine",
      "  app:",
      "    image: ghcr.io/acme/billing:2.4.1",
      "    ports:",
      '      - "8443:8443" # https',
      "volumes:",
      "  pgdata: {}",
    );
    expect(outline("docker-compose.yml", compose)).toEqual([
      "services db (postgres:16-alpine), app (ghcr.io/acme/billing:2.4.1, 8443:8443)",
    ]);
  });

  it("gives SQL's created and altered tables", () => {
    const sql = text(
      "CREATE TABLE IF NOT EXISTS `tickets` (id INT);",
      "create table ticket_notes (id int);",
      "CREATE UNIQUE INDEX tickets_ref ON tickets(ref);",
      "ALTER TABLE clients ADD COLUMN sla INT;",
    );
    expect(outline("schema.sql", sql)).toEqual(["table tickets, ticket_notes", "index tickets_ref", "alters clients"]);
  });

  it("gives a unit's command and schedule, and an nginx site's ports, names and upstreams", () => {
    expect(outline("backup.timer", text("[Timer]", "OnCalendar=*-*-* 02:00:00", "[Install]"))).toEqual(["on *-*-* 02:00:00"]);
    expect(outline("backup.service", text("[Service]", "ExecStart=/usr/local/bin/backup.sh billing", "User=backup"))).toEqual([
      "runs /usr/local/bin/backup.sh billing",
      "as backup",
    ]);
    const site = text(
      "server {",
      "  listen 443 ssl;",
      "  server_name status.acme.example;",
      "  location / { proxy_pass http://127.0.0.1:8080; }",
      "}",
    );
    expect(outline("/etc/nginx/sites-available/status", site)).toEqual([
      "listen 443 ssl",
      "server_name status.acme.example",
      "proxy_pass http://127.0.0.1:8080",
    ]);
  });

  it("gives a configuration's sections and settled values, and a markdown document's sections", () => {
    expect(outline("app.toml", text("[server]", 'listen = "0.0.0.0:8080"', "[db]", 'url = "postgres://db01/app"'))).toEqual([
      "sections server, db",
      "values 0.0.0.0:8080, postgres://db01/app",
    ]);
    expect(outline("README.md", text("# Tool", "## Install", "text", "## Usage", "text"))).toEqual(["sections Install, Usage"]);
  });
});

describe("definedNames", () => {
  it("finds what a source file defines at its top level, per language", () => {
    expect(definedNames("python", text("class Backup:", "    def run(self):", "def main():", "def _helper():"))).toEqual([
      "Backup",
      "main",
    ]);
    expect(definedNames("javascript", text("export async function sync() {}", "export const LIMIT = 3;", "function local() {}"))).toEqual([
      "sync",
      "LIMIT",
    ]);
    expect(definedNames("javascript", text("function local() {}", "class Queue {}"))).toEqual(["local", "Queue"]);
    expect(definedNames("shell", text("log() {", "}", "function rotate {", "}", 'echo "$(date)"'))).toEqual(["log", "rotate"]);
    expect(definedNames("go", text("package main", "func main() {", "func (s *Server) Serve() error {"))).toEqual(["main", "Serve"]);
    expect(definedNames("rust", text("pub struct Pallet;", "fn helper() {}", "pub fn weight() -> u64 {"))).toEqual(["Pallet", "weight"]);
    expect(
      definedNames(
        "c-like",
        text(
          "static void __attribute__((constructor)) init(void) {",
          "static int intercept_open(const char *path, int flags) {",
          "    if (x) {",
          "int main(void)",
          "{",
          "struct node {",
        ),
      ),
    ).toEqual(["intercept_open", "main", "node"]);
  });
});
