import { commandShape, failureSignature, normalizeErrorText } from "./failure-signature";

describe("normalizeErrorText", () => {
  it("replaces paths, numbers, hex hashes, uuids, timestamps, IPs and quoted strings with placeholders", () => {
    expect(
      normalizeErrorText(
        `2026-11-20T09:14:03.512Z ERROR open /var/lib/app/cache/7f3a9c21e4.db: Permission denied (uid 1001) from 10.0.4.17:5432 job 0190f5c8-0000-7000-8000-00000000a001 at 'C:\\Users\\mike\\app.ps1'`,
      ),
    ).toBe("<time> error open <path>: permission denied (uid <n>) from <ip> job <uuid> at <str>");
    expect(normalizeErrorText("Nov 20 09:14:03 web01 sshd[2211]: Connection reset by 192.168.1.20 port 51234")).toBe(
      "<time> web01 sshd[<n>]: connection reset by <ip> port <n>",
    );
    expect(normalizeErrorText("fatal: reference is not a tree: 9fceb02d0ae598e95dc970b74767f19372d61af8")).toBe(
      "fatal: reference is not a tree: <hex>",
    );
    expect(normalizeErrorText("GET https://api.example.com/v1/users/42 returned 503")).toBe("get <url> returned <n>");
  });

  it("collapses whitespace and keeps the words that say what went wrong", () => {
    expect(normalizeErrorText("  E: Unable to locate\n\tpackage   docker-ce  ")).toBe("e: unable to locate package docker-ce");
  });
});

describe("commandShape", () => {
  it("keeps program, subcommand and flag names; drops arguments, values, paths and wrappers", () => {
    expect(commandShape("sudo systemctl restart nginx")).toBe("systemctl restart");
    expect(commandShape("systemctl restart apache2")).toBe("systemctl restart");
    expect(commandShape("LANG=C /usr/bin/rsync -avz --delete --exclude=.git /srv/a/ backup01:/srv/b/")).toBe(
      "rsync --delete --exclude -avz",
    );
    expect(commandShape('docker run -p 8080:80 --name "web 1" nginx:1.27')).toBe("docker run --name -p");
    expect(commandShape("Get-ChildItem -Path C:\\Temp -Recurse | Remove-Item -Force")).toBe(
      "get-childitem -Path -Recurse | remove-item -Force",
    );
    expect(commandShape("ping server01")).toBe("ping");
    expect(commandShape("C:\\Tools\\psql.exe -h db01 -U admin")).toBe("psql -U -h");
  });
});

describe("failureSignature", () => {
  const error = (path: string, line: number, at: string) => `${at} nginx: [emerg] unknown directive "proxy_pas" in ${path}:${line}`;

  it("is the same for the same failure met with other paths, numbers and times", () => {
    const a = failureSignature(error("/etc/nginx/sites-enabled/acme", 12, "2026-11-20 09:14:03"), "sudo nginx -t");
    const b = failureSignature(error("/etc/nginx/conf.d/shop.conf", 40, "2026-12-01 17:02:59"), "nginx -t");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    const denied = (file: string, uid: number) =>
      failureSignature(`cp: cannot create regular file '${file}': Permission denied (uid ${uid})`, `cp -r /tmp/build ${file}`);
    expect(denied("/srv/www/index.html", 1001)).toBe(denied("/var/www/html/app.js", 33));
  });

  it("differs for different commands or different errors", () => {
    const message = "Permission denied";
    expect(failureSignature(message, "systemctl restart nginx")).not.toBe(failureSignature(message, "systemctl reload nginx"));
    expect(failureSignature(message, "cp a b")).not.toBe(failureSignature(message, "mv a b"));
    expect(failureSignature(message, "cp -r a b")).not.toBe(failureSignature(message, "cp a b"));
    expect(failureSignature(message, "cp a b")).not.toBe(failureSignature("No such file or directory", "cp a b"));
    expect(failureSignature(message, null)).not.toBe(failureSignature(message, "cp a b"));
  });
});
