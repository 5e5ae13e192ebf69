"""What docker/login-action's `docker login` does, run inside the runner (standard library only).

It checks the credentials against the registry the way the Docker daemon does (`GET /v2/`; on a
Basic challenge the credentials themselves, on a Bearer challenge a token from the realm), then
writes `~/.docker/config.json` as `docker login` does, where crane's keychain finds it. Docker Hub
is stored under `https://index.docker.io/v1/`. A refusal fails the step with the daemon's words.
"""
import base64
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

HUB_KEY = "https://index.docker.io/v1/"


def _get(url, authorization=None):
    request = urllib.request.Request(url, headers={"Authorization": authorization} if authorization else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _why(body):
    try:
        doc = json.loads(body or b"{}")
    except ValueError:
        return "authentication required"
    if doc.get("details"):
        return doc["details"]
    errors = doc.get("errors") or [{}]
    return (errors[0].get("message") or "authentication required").lower()


def login(registry, username, password):
    hub = registry in ("", "docker.io", "index.docker.io", "registry-1.docker.io")
    host = "index.docker.io" if hub else registry
    ping = f"https://{host}/v2/"
    basic = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    try:
        status, headers, body = _get(ping)
        if status == 401:
            challenge = next((v for k, v in headers.items() if k.lower() == "www-authenticate"), "")
            if challenge.lower().startswith("bearer"):
                params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
                query = urllib.parse.urlencode({"account": username, "client_id": "docker", "offline_token": "true",
                                                "service": params.get("service", "")})
                status, headers, body = _get(f"{params['realm']}?{query}", basic)
            else:
                status, headers, body = _get(ping, basic)
    except OSError as error:
        return f"Error response from daemon: Get \"{ping}\": {error}"
    if status == 401:
        return f"Error response from daemon: Get \"{ping}\": unauthorized: {_why(body)}"
    if status != 200:
        return f"Error response from daemon: Get \"{ping}\": received unexpected HTTP status: {status}"
    path = os.path.join(os.environ.get("HOME", "/home/runner"), ".docker", "config.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError):
        config = {}
    config.setdefault("auths", {})[HUB_KEY if hub else host] = {
        "auth": base64.b64encode(f"{username}:{password}".encode()).decode()}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent="\t")
    return None


def main():
    registry, username, password = (os.environ.get(k, "") for k in ("LOGIN_REGISTRY", "LOGIN_USERNAME",
                                                                     "LOGIN_PASSWORD"))
    if not username or not password:
        print("::error::Username and password required")
        return 1
    print(f"Logging into {registry or 'Docker Hub'}...")
    problem = login(registry, username, password)
    if problem:
        print(f"::error::{problem}")
        return 1
    print("Login Succeeded!")
    return 0


if __name__ == "__main__":
    sys.exit(main())
