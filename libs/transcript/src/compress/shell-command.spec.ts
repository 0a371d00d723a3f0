import {
  commandHead,
  commandKey,
  commandWorthKeeping,
  displayCommand,
  isCheck,
  isInspection,
  isRoutine,
  simpleCommands,
  withoutPlumbing,
} from "./shell-command";

describe("shell command rules", () => {
  it("splits at operators outside quotes only, dropping env, sudo and nohup prefixes", () => {
    expect(simpleCommands(`docker-compose logs blockchain | grep -A5 "Error\\|Exception" || echo "none found"`)).toEqual([
      "docker-compose logs blockchain",
      `grep -A5 "Error\\|Exception"`,
      `echo "none found"`,
    ]);
    expect(simpleCommands("ANDROID_AVD_HOME=/x/avd nohup emulator -avd a > /tmp/e.log 2>&1 &")).toEqual([
      "emulator -avd a > /tmp/e.log 2>&1",
    ]);
    expect(simpleCommands("sudo -E apt install -y nginx")).toEqual(["apt install -y nginx"]);
  });

  it("tells look-arounds from changes", () => {
    for (const command of [
      "ls -la",
      "cat a | head -5",
      "docker-compose ps",
      "git status && git log --oneline | head",
      "for f in *.py; do wc -l $f; done",
      "docker run --rm img --help",
      "curl -sI http://localhost/",
    ]) {
      expect([command, isInspection(command)]).toEqual([command, true]);
    }
    for (const command of [
      "apt install -y nginx",
      "echo x > /etc/motd",
      "sed -i s/a/b/ f",
      "curl -X POST http://x/api",
      "git push origin main",
      "htpasswd -bc f u p",
    ]) {
      expect([command, isInspection(command)]).toEqual([command, false]);
    }
  });

  it("groups repeats by a key without cd prefixes, plumbing or commit messages", () => {
    expect(commandKey("cd /srv && docker-compose up -d 2>&1 | tail -5")).toBe("docker-compose up -d");
    expect(commandKey('git commit -m "one"')).toBe(commandKey('git commit -m "two"'));
    expect(commandHead("docker-compose up -d api")).toBe("docker-compose up");
    expect(commandHead("/usr/bin/python3 x.py")).toBe("python3");
  });

  it("shows a command on one line: comments, here-documents, commit bodies and plumbing folded", () => {
    expect(displayCommand("# try the mirror\ncurl -fsSL https://x/y 2>/dev/null | head -20")).toBe("curl -fsSL https://x/y");
    expect(displayCommand("cat > /etc/x.conf << 'EOF'\nsecret=1\nEOF")).toBe("cat > /etc/x.conf << 'EOF' …");
    expect(displayCommand(`git add . && git commit -m "$(cat <<'EOF'\nFix: the port clash\n\nlong body\nEOF\n)"`)).toBe(
      'git add . && git commit -m "Fix: the port clash"',
    );
    expect(withoutPlumbing(`adb shell getprop a && echo "---" && adb shell getprop b 2>&1 || true`)).toBe(
      "adb shell getprop a && adb shell getprop b",
    );
    expect(displayCommand("x".repeat(300), 50)).toHaveLength(50);
  });

  it("knows routine commands and checks", () => {
    expect(isRoutine("cd /srv && docker-compose restart web")).toBe(true);
    expect(isRoutine("git rm --cached big.bin")).toBe(false);
    expect(isCheck("bash -n script.sh")).toBe(true);
    expect(isCheck("nginx -t && systemctl reload nginx")).toBe(true);
    expect(isCheck("make install")).toBe(false);
  });
});

describe("commandWorthKeeping (a command that worked, as a memory snippet of its own)", () => {
  it.each([
    "python3 x.py",
    "python3 -u scripts/report.py --all",
    "node dist/main.js",
    "./run-tests.sh",
    "cd app && npm test",
    "npm run build",
    "make",
    "cargo build --release",
    "npx jest src/billing",
    "go test ./...",
    "ls -la /etc/nginx",
    "git status",
    "sudo systemctl restart nginx",
    "docker compose up -d",
  ])("drops a routine run or a look-around: %s", (command) => {
    expect(commandWorthKeeping(command)).toBe(false);
  });

  it.each([
    "sudo apt-get install -y docker-ce",
    "git remote add origin git@github.com:acme/web.git",
    "sudo systemctl enable --now nginx",
    "kubectl apply -f deploy.yaml",
    "ln -s /etc/nginx/sites-available/web /etc/nginx/sites-enabled/web",
    "sed -i 's/^#Port 22/Port 2222/' /etc/ssh/sshd_config",
    "python3 -m venv .venv",
    "pip install -r requirements.txt",
    "sudo make install",
    "make install PREFIX=/opt/tool",
    "npx prisma migrate deploy",
  ])("keeps one that changed something: %s", (command) => {
    expect(commandWorthKeeping(command)).toBe(true);
  });
});
