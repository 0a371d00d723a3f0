import { normalizeRepository } from "./repository-name";

describe("normalizeRepository", () => {
  it.each([
    ["git@github.com:Acme/App.git", "github.com/Acme/App"],
    ["https://github.com/Acme/App", "github.com/Acme/App"],
    ["https://deploy:s3cr3t-Pw@GitLab.acme.test:8443/infra/ansible.git", "gitlab.acme.test/infra/ansible"],
    ["ssh://git@github.com:22/acme/app.git", "github.com/acme/app"],
    ["github.com/Acme/App/", "github.com/Acme/App"],
    ["  /home/tech/acme-web/  ", "/home/tech/acme-web"],
    ["", ""],
  ])("%s -> %s", (remote, name) => {
    expect(normalizeRepository(remote)).toBe(name);
  });

  it("never keeps the credentials of a remote", () => {
    expect(normalizeRepository("https://user:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/app")).toBe("github.com/acme/app");
    expect(normalizeRepository("user:pa55word@git.acme.test/acme/app")).not.toContain("pa55word");
  });
});
