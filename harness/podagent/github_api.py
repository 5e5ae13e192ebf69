"""The GitHub REST stub: routing, query parsing, pagination and auth (bodies in github_bodies)."""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from . import github_bodies as bodies
from . import requestlog
from .faults import Fault, reply_for
from .history import NoCommonAncestor, UnknownCommit
from .httpbase import Handler
from .world import ApiWorld

PREFIX = "/api/v3"
RUN_STATUSES = {"requested", "in_progress", "completed", "queued", "waiting", "pending"}
COMMON_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "X-GitHub-Api-Version-Selected": "2022-11-28",
    "X-GitHub-Media-Type": "github.v3; format=json",
    "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999",
    "X-RateLimit-Reset": "1777777777", "X-RateLimit-Used": "1", "X-RateLimit-Resource": "core",
}
_DOC = "https://docs.github.com/rest/"
DOCS = {
    "workflow": _DOC + "actions/workflows#get-a-workflow",
    "workflows": _DOC + "actions/workflows#list-repository-workflows",
    "runs": _DOC + "actions/workflow-runs#list-workflow-runs-for-a-workflow",
    "repo_runs": _DOC + "actions/workflow-runs#list-workflow-runs-for-a-repository",
    "compare": _DOC + "commits/commits#compare-two-commits",
}
_REPO = r"^/repos/([^/]+)/([^/]+)"
ROUTES = [
    ("workflows", re.compile(_REPO + r"/actions/workflows/?$")),
    ("workflow", re.compile(_REPO + r"/actions/workflows/([^/]+)$")),
    ("runs", re.compile(_REPO + r"/actions/workflows/([^/]+)/runs$")),
    ("repo_runs", re.compile(_REPO + r"/actions/runs$")),
    ("compare", re.compile(_REPO + r"/compare/(.+)$")),
]


@dataclass
class Request:
    method: str
    path: str  # without the /api/v3 prefix
    query: str
    authorization: str = ""
    link_base: str = "https://api.github.com"  # scheme://host[/api/v3] the client used


@dataclass
class Response:
    status: int
    body: dict
    headers: dict = field(default_factory=dict)


def split_target(target: str) -> tuple[str, str]:
    """Path without the enterprise prefix, raw query; absolute-form targets are accepted too."""
    parts = urlsplit(target)
    path = parts.path or "/"
    if path == PREFIX or path.startswith(PREFIX + "/"):
        path = path[len(PREFIX):] or "/"
    return path, parts.query


def match_route(method: str, path: str) -> tuple[str | None, tuple]:
    if method not in ("GET", "HEAD"):
        return None, ()
    for name, pattern in ROUTES:
        found = pattern.match(path)
        if found:
            return name, tuple(unquote(g) for g in found.groups())
    return None, ()


def log_route(route: str | None) -> str | None:
    return "runs" if route == "repo_runs" else route


def authorised(world: ApiWorld, header: str) -> bool:
    scheme, _, credential = header.strip().partition(" ")
    return bool(world.token) and scheme.lower() in ("token", "bearer") and credential.strip() == world.token


def not_found(route: str | None) -> Response:
    return Response(404, bodies.error("Not Found", DOCS.get(route, bodies.DOCS), 404))


# The GITHUB_TOKEN permission each route needs. Public repositories serve these reads to anyone;
# private ones answer 403 when the job's `permissions:` left the scope out.
SCOPES = {"workflow": "actions", "workflows": "actions", "runs": "actions", "repo_runs": "actions",
          "compare": "contents"}


def permitted(world: ApiWorld, route: str) -> bool:
    if not world.private or world.token_permissions is None:
        return True
    return world.token_permissions.get(SCOPES[route], "none") in ("read", "write")


def respond(world: ApiWorld, req: Request) -> Response:
    route, groups = match_route(req.method, req.path)
    if not authorised(world, req.authorization):
        return Response(401, bodies.error("Bad credentials", bodies.DOCS, 401))
    if route is None or f"{groups[0]}/{groups[1]}".lower() != world.repository.lower():
        return not_found(route)
    if not permitted(world, route):
        return Response(403, bodies.error("Resource not accessible by integration", DOCS[route], 403))
    params = dict(parse_qsl(req.query, keep_blank_values=True))
    return HANDLERS[route](world, groups[2:], params, req)


def _workflow(world: ApiWorld, args: tuple, params: dict, req: Request) -> Response:
    wf = world.workflow(args[0])
    return Response(200, bodies.workflow(world, wf)) if wf else not_found("workflow")


def _workflows(world: ApiWorld, args: tuple, params: dict, req: Request) -> Response:
    page, links = paginate(world.workflows, params, req)
    return Response(200, bodies.workflows_page(world, page, len(world.workflows)), links)


def _runs(world: ApiWorld, args: tuple, params: dict, req: Request) -> Response:
    runs = world.runs
    if args:
        wf = world.workflow(args[0])
        if wf is None:
            return not_found("runs")
        runs = [r for r in runs if r["workflow_id"] == wf["id"]]
    matching = (r for r in runs if run_matches(r, params, world.actor))
    runs = sorted(matching, key=lambda r: (r["created_at"], r["id"]), reverse=True)
    page, links = paginate(runs, params, req)
    include_prs = params.get("exclude_pull_requests", "false").lower() != "true"
    return Response(200, bodies.runs_page(world, page, len(runs), include_prs), links)


def _compare(world: ApiWorld, args: tuple, params: dict, req: Request) -> Response:
    basehead = args[0]
    base, sep, head = basehead.partition("...")
    if not sep or not base or not head:
        return not_found("compare")
    try:
        cmp = world.graph.compare(base, head)
    except UnknownCommit:
        return not_found("compare")
    except NoCommonAncestor:
        return Response(404, bodies.error(f"No common ancestor between {base} and {head}.", DOCS["compare"], 404))
    return Response(200, bodies.comparison(world, cmp, basehead, world.graph.parents))


HANDLERS = {"workflow": _workflow, "workflows": _workflows, "runs": _runs, "repo_runs": _runs, "compare": _compare}


def run_matches(run: dict, params: dict, default_actor: str) -> bool:
    status = params.get("status")
    if status and run["status" if status in RUN_STATUSES else "conclusion"] != status:
        return False
    for param, key in (("branch", "head_branch"), ("head_sha", "head_sha"), ("event", "event")):
        if params.get(param) and run.get(key) != params[param]:
            return False
    if params.get("actor") and (run.get("actor") or default_actor) != params["actor"]:
        return False
    return not params.get("created") or created_matches(run["created_at"], params["created"])


def created_matches(stamp: str, expr: str) -> bool:
    """GitHub's date qualifiers: X, >X, >=X, <X, <=X, A..B (either side may be *)."""
    if ".." in expr:
        low, _, high = expr.partition("..")
        return (low == "*" or stamp[:len(low)] >= low) and (high == "*" or stamp[:len(high)] <= high)
    for op in (">=", "<=", ">", "<"):
        if expr.startswith(op):
            value = expr[len(op):]
            cut = stamp[:len(value)]
            return {">=": cut >= value, "<=": cut <= value, ">": cut > value, "<": cut < value}[op]
    return stamp[:len(expr)] == expr


def _int(params: dict, key: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(params.get(key, default)), low), high)
    except ValueError:
        return default


def paginate(items: list, params: dict, req: Request) -> tuple[list, dict]:
    per_page = _int(params, "per_page", 30, 1, 100)
    page = _int(params, "page", 1, 1, 1_000_000)
    last = max(1, -(-len(items) // per_page))
    chunk = items[(page - 1) * per_page: page * per_page]
    return chunk, link_header(req, page, last)


def link_header(req: Request, page: int, last: int) -> dict:
    pairs = [(k, v) for k, v in parse_qsl(req.query, keep_blank_values=True) if k != "page"]

    def url(n: int) -> str:
        return f"{req.link_base}{req.path}?{urlencode(pairs + [('page', str(n))])}"

    links = []
    if page > 1:
        links.append(f'<{url(min(page - 1, last))}>; rel="prev"')
    if page < last:
        links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
    if page > 1:
        links.append(f'<{url(1)}>; rel="first"')
    return {"Link": ", ".join(links)} if links else {}


class ApiHandler(Handler):
    def version_string(self):
        return "github.com"

    def serve(self):
        self.read_body()  # keeps the keep-alive stream in step (gh's GraphQL POSTs carry bodies)
        path, query = split_target(self.path)
        route, _ = match_route(self.command, path)
        world = self.server.state.world
        fault = world.faults.take("api", log_route(route), self.command, path)
        entry = self.server.state.log.add(requestlog.entry(
            "api", self.command, path, query, None, log_route(route), fault.name if fault else None, route is None))
        if fault:
            return self.play_fault(fault, entry)
        resp = respond(world, self.request_for(path, query))
        self.server.state.log.finish(entry, resp.status)
        self.send_bytes(resp.status, json.dumps(resp.body, separators=(",", ":")).encode(),
                        {**COMMON_HEADERS, **resp.headers})

    def request_for(self, path: str, query: str) -> Request:
        host = self.headers.get("Host") or "api.github.com"
        prefix = PREFIX if urlsplit(self.path).path.startswith(PREFIX) else ""
        return Request(self.command, path, query, self.headers.get("Authorization", ""), f"https://{host}{prefix}")

    def play_fault(self, fault: Fault, entry: dict) -> None:
        if fault.delay:
            time.sleep(fault.delay)
        reply = reply_for(fault)
        self.server.state.log.finish(entry, reply.status if reply else None)
        if reply is None:
            return self.drop()
        self.send_bytes(reply.status, reply.body, {**COMMON_HEADERS, **reply.headers})
