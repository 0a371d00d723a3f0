import { mkdirSync, writeFileSync } from "node:fs";
import { tempDir } from "../test-support/temp-dirs";
import { join } from "node:path";
import { displayRemoteUrl, normalizeRemoteUrl } from "./git-remote";
import { findGitRepository, remoteUrlInConfig } from "./git-repository";

describe("normalizeRemoteUrl", () => {
  it.each([
    ["https://github.com/Acme/App.git", "github.com/acme/app"],
    ["https://github.com/acme/app", "github.com/acme/app"],
    ["https://github.com/acme/app/", "github.com/acme/app"],
    ["http://www.github.com/acme/app.git", "github.com/acme/app"],
    ["git@github.com:acme/app.git", "github.com/acme/app"],
    ["git@github.com:acme/app", "github.com/acme/app"],
    ["ssh://git@github.com/acme/app.git", "github.com/acme/app"],
    ["ssh://git@github.com:22/acme/app.git", "github.com/acme/app"],
    ["ssh://git@ssh.github.com:443/acme/app.git", "github.com/acme/app"],
    ["git://github.com/acme/app.git", "github.com/acme/app"],
    ["https://oauth2:glpat-SECRET@gitlab.example.com/group/sub/app.git", "gitlab.example.com/group/sub/app"],
    ["https://user:p%40ss@bitbucket.org/team/repo.git", "bitbucket.org/team/repo"],
    ["https://dev.azure.com/org/proj/_git/repo", "dev.azure.com/org/proj/repo"],
    ["git@ssh.dev.azure.com:v3/org/proj/repo", "dev.azure.com/org/proj/repo"],
    ["https://org.visualstudio.com/proj/_git/repo", "dev.azure.com/org/proj/repo"],
    ["gitea.local:2222/ops/infra.git", "gitea.local/2222/ops/infra"],
    ["/srv/git/app.git", "/srv/git/app"],
    ["file:///srv/git/app.git", "/srv/git/app"],
    ["  https://github.com/acme/app.git\n", "github.com/acme/app"],
  ])("%s -> %s", (url, expected) => expect(normalizeRemoteUrl(url)).toBe(expected));

  it.each(["", "   ", "https://github.com", "not a url", "https:///path"])("%j gives nothing usable", (url) =>
    expect(normalizeRemoteUrl(url)).toBeUndefined(),
  );

  it("drops credentials from a URL shown or stored", () => {
    expect(displayRemoteUrl("https://oauth2:glpat-SECRET@gitlab.com/a/b.git")).toBe("https://gitlab.com/a/b.git");
    expect(displayRemoteUrl("git@github.com:a/b.git")).toBe("git@github.com:a/b.git");
  });
});

describe("remoteUrlInConfig", () => {
  it("prefers origin, reads quoted values and skips comments", () => {
    const config = [
      "[core]",
      "\trepositoryformatversion = 0",
      '[remote "upstream"]',
      "\turl = https://github.com/upstream/app.git",
      "; a comment",
      '[remote "origin"]',
      '\turl = "git@github.com:acme/app.git"',
      "\tfetch = +refs/heads/*:refs/remotes/origin/*",
      '[branch "main"]',
      "\tremote = origin",
    ].join("\n");
    expect(remoteUrlInConfig(config)).toBe("git@github.com:acme/app.git");
  });

  it("takes the first remote when there is no origin, and nothing without remotes", () => {
    expect(remoteUrlInConfig('[remote "fork"]\n  url = https://x.org/a/b\n')).toBe("https://x.org/a/b");
    expect(remoteUrlInConfig("[core]\n  bare = false\n")).toBeUndefined();
  });
});

describe("findGitRepository", () => {
  function repo(remote?: string): string {
    const root = tempDir("msp-git-");
    mkdirSync(join(root, ".git"));
    writeFileSync(join(root, ".git", "config"), remote ? `[remote "origin"]\n\turl = ${remote}\n` : "[core]\n");
    mkdirSync(join(root, "src", "deep"), { recursive: true });
    return root;
  }

  it("finds the repository from a folder inside it, without running git", () => {
    const root = repo("git@github.com:Acme/Portal.git");
    expect(findGitRepository(join(root, "src", "deep"))).toEqual({
      root,
      remoteUrl: "git@github.com:Acme/Portal.git",
      repository: "github.com/acme/portal",
    });
  });

  it("follows a worktree's .git file to the main repository's config", () => {
    const main = repo("https://github.com/acme/portal.git");
    mkdirSync(join(main, ".git", "worktrees", "feature"), { recursive: true });
    writeFileSync(join(main, ".git", "worktrees", "feature", "commondir"), "../..\n");
    const tree = tempDir("msp-worktree-");
    writeFileSync(join(tree, ".git"), `gitdir: ${join(main, ".git", "worktrees", "feature")}\n`);
    expect(findGitRepository(tree)).toMatchObject({ root: tree, repository: "github.com/acme/portal" });
  });

  it("returns a repository without remote, and nothing outside any repository", () => {
    const root = repo();
    expect(findGitRepository(root)).toEqual({ root });
    const outside = tempDir("msp-nogit-");
    const found = findGitRepository(outside);
    // The temp folder may itself sit inside a repository on some machines; it must not be the folder itself.
    if (found) expect(found.root).not.toBe(outside);
  });
});
