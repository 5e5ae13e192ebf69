"""Response bodies in GitHub's shapes. Derived values are deterministic: no wall clock."""
from __future__ import annotations

import base64
import hashlib
import zlib

from .history import Comparison
from .world import ApiWorld

API = "https://api.github.com"
WEB = "https://github.com"
FIXED_TIME = "2026-01-01T00:00:00Z"
PERSON = {"name": "Molecule Bot", "email": "bot@molecule.example", "date": FIXED_TIME}
DOCS = "https://docs.github.com/rest"
OVERRIDABLE = {"run_attempt", "previous_attempt_url", "check_suite_id", "html_url"}


def error(message: str, documentation_url: str = DOCS, status: int | None = None) -> dict:
    body = {"message": message, "documentation_url": documentation_url}
    if status is not None:
        body["status"] = str(status)
    return body


def number(text: str) -> int:
    """A stable positive id for a name."""
    return zlib.crc32(text.encode()) % 900_000_000 + 100_000_000


def node_id(prefix: str, value) -> str:
    return prefix + base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def fake_sha(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()


def user(login: str) -> dict:
    uid = number("user:" + login)
    return {"login": login, "id": uid, "node_id": node_id("U_", uid),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4", "gravatar_id": "",
            "url": f"{API}/users/{login}", "html_url": f"{WEB}/{login}",
            "type": "Bot" if login.endswith("[bot]") else "User", "site_admin": False}


def repository(world: ApiWorld) -> dict:
    full = world.repository
    owner, name = full.split("/", 1)
    rid = number("repo:" + full)
    api = f"{API}/repos/{full}"
    return {"id": rid, "node_id": node_id("R_", rid), "name": name, "full_name": full, "private": False,
            "owner": user(owner), "html_url": f"{WEB}/{full}", "description": None, "fork": False,
            "url": api, "branches_url": api + "/branches{/branch}", "commits_url": api + "/commits{/sha}",
            "compare_url": api + "/compare/{base}...{head}", "git_commits_url": api + "/git/commits{/sha}",
            "pulls_url": api + "/pulls{/number}", "tags_url": api + "/tags"}


def workflow(world: ApiWorld, wf: dict) -> dict:
    full, wid = world.repository, wf["id"]
    file = wf["path"].rsplit("/", 1)[-1]
    return {"id": wid, "node_id": node_id("W_", wid), "name": wf["name"], "path": wf["path"],
            "state": wf["state"], "created_at": wf.get("created_at", FIXED_TIME),
            "updated_at": wf.get("updated_at", FIXED_TIME), "url": f"{API}/repos/{full}/actions/workflows/{wid}",
            "html_url": f"{WEB}/{full}/blob/main/{wf['path']}",
            "badge_url": f"{WEB}/{full}/actions/workflows/{file}/badge.svg"}


def workflows_page(world: ApiWorld, page: list[dict], total: int) -> dict:
    return {"total_count": total, "workflows": [workflow(world, wf) for wf in page]}


def head_commit(run: dict) -> dict:
    sha = run["head_sha"]
    author = {"name": PERSON["name"], "email": PERSON["email"]}
    return {"id": sha, "tree_id": fake_sha("tree", sha), "message": f"Commit {sha[:7]}",
            "timestamp": run["created_at"], "author": author, "committer": author}


def run(world: ApiWorld, item: dict, include_prs: bool) -> dict:
    full, rid = world.repository, item["id"]
    api = f"{API}/repos/{full}/actions/runs/{rid}"
    wf = world.workflow_by_id(item["workflow_id"]) or {}
    name = item.get("name") or wf.get("name", "")
    actor = user(item.get("actor") or world.actor)
    suite = rid * 10 + 1
    body = {
        "id": rid, "name": name, "node_id": node_id("WFR_", rid), "head_branch": item["head_branch"],
        "head_sha": item["head_sha"], "path": wf.get("path", ""), "display_title": item.get("display_title") or name,
        "run_number": item["run_number"], "event": item["event"], "status": item["status"],
        "conclusion": item["conclusion"], "workflow_id": item["workflow_id"], "check_suite_id": suite,
        "check_suite_node_id": node_id("CS_", suite), "url": api,
        "html_url": f"{WEB}/{full}/actions/runs/{rid}",
        "pull_requests": list(item.get("pull_requests") or []) if include_prs else [],
        "created_at": item["created_at"], "updated_at": item.get("updated_at", item["created_at"]),
        "actor": actor, "run_attempt": 1, "referenced_workflows": [],
        "run_started_at": item.get("run_started_at", item["created_at"]), "triggering_actor": actor,
        "jobs_url": api + "/jobs", "logs_url": api + "/logs", "check_suite_url": f"{API}/repos/{full}/check-suites/{suite}",
        "artifacts_url": api + "/artifacts", "cancel_url": api + "/cancel", "rerun_url": api + "/rerun",
        "previous_attempt_url": None, "workflow_url": f"{API}/repos/{full}/actions/workflows/{item['workflow_id']}",
        "head_commit": head_commit(item), "repository": repository(world), "head_repository": repository(world),
    }
    # A world may pin fields the stub would otherwise derive, or add ones it does not know.
    body.update({k: v for k, v in item.items() if k in OVERRIDABLE or k not in body})
    return body


def runs_page(world: ApiWorld, page: list[dict], total: int, include_prs: bool) -> dict:
    return {"total_count": total, "workflow_runs": [run(world, r, include_prs) for r in page]}


def commit(world: ApiWorld, sha: str, parents: list[str]) -> dict:
    full = world.repository
    api = f"{API}/repos/{full}"
    tree = fake_sha("tree", sha)
    return {
        "sha": sha, "node_id": node_id("C_", sha), "url": f"{api}/commits/{sha}",
        "html_url": f"{WEB}/{full}/commit/{sha}", "comments_url": f"{api}/commits/{sha}/comments",
        "commit": {"author": dict(PERSON), "committer": dict(PERSON), "message": f"Commit {sha[:7]}",
                   "tree": {"sha": tree, "url": f"{api}/git/trees/{tree}"}, "url": f"{api}/git/commits/{sha}",
                   "comment_count": 0,
                   "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None}},
        "author": None, "committer": None,
        "parents": [{"sha": p, "url": f"{api}/commits/{p}", "html_url": f"{WEB}/{full}/commit/{p}"} for p in parents],
    }


def comparison(world: ApiWorld, cmp: Comparison, basehead: str, parents_of) -> dict:
    full = world.repository
    owner = full.split("/", 1)[0]
    permalink = f"{WEB}/{full}/compare/{owner}:{cmp.base}...{owner}:{cmp.head}"
    return {
        "url": f"{API}/repos/{full}/compare/{basehead}", "html_url": f"{WEB}/{full}/compare/{basehead}",
        "permalink_url": permalink, "diff_url": f"{WEB}/{full}/compare/{basehead}.diff",
        "patch_url": f"{WEB}/{full}/compare/{basehead}.patch",
        "base_commit": commit(world, cmp.base, parents_of(cmp.base)),
        "merge_base_commit": commit(world, cmp.merge_base, parents_of(cmp.merge_base)),
        "status": cmp.status, "ahead_by": cmp.ahead_by, "behind_by": cmp.behind_by,
        "total_commits": cmp.ahead_by, "commits": [commit(world, sha, parents_of(sha)) for sha in cmp.ahead],
        "files": [],
    }
