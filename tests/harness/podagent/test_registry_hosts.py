"""The auth each registry host plays (podagent/registry_auth.py), without a pod."""
from __future__ import annotations

import base64
import json

from harness.podagent import registry_auth

ACCOUNTS = [{"username": "bot", "password": "pw", "push": True}, {"username": "reader", "password": "r", "push": False}]
MANIFEST = "/v2/acme/api/manifests/latest"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def token(query: str, authorization: str, service: str = registry_auth.HUB_SERVICE):
    status, body, _ = registry_auth.issue_token(query, authorization, service, ACCOUNTS)
    return status, json.loads(body)


def test_docker_hub_challenges_with_auth_docker_io_and_its_service():
    status, _, headers = registry_auth.check_host("docker-hub", "PUT", MANIFEST, "", "", "index.docker.io",
                                                  {"accounts": ACCOUNTS})
    assert status == 401
    assert headers["WWW-Authenticate"] == ('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",'
                                           'scope="repository:acme/api:pull,push"')


def test_the_token_service_grants_what_the_account_holds():
    query = "service=registry.docker.io&scope=repository:acme/api:pull,push"
    status, body = token(query, basic("bot", "pw"))
    assert status == 200 and body["token"] == body["access_token"]
    bearer = "Bearer " + body["token"]
    play = {"accounts": ACCOUNTS}
    assert registry_auth.check_host("docker-hub", "PUT", MANIFEST, "", bearer, "index.docker.io", play) is None
    _, reader = token(query, basic("reader", "r"))
    status, body_, headers = registry_auth.check_host("docker-hub", "PUT", MANIFEST, "", "Bearer " + reader["token"],
                                                      "index.docker.io", play)
    assert status == 401 and 'error="insufficient_scope"' in headers["WWW-Authenticate"]
    assert json.loads(body_)["errors"][0]["detail"][0]["Action"] == "push"
    assert registry_auth.check_host("docker-hub", "GET", MANIFEST, "", "Bearer " + reader["token"],
                                    "index.docker.io", play) is None


def test_a_wrong_password_gets_docker_hubs_401():
    status, body = token("service=registry.docker.io&scope=repository:acme/api:pull", basic("bot", "nope"))
    assert (status, body) == (401, {"details": "incorrect username or password"})


def test_a_forged_or_foreign_token_is_refused():
    _, body = token("service=other&scope=repository:acme/api:pull", basic("bot", "pw"), service="other")
    for bearer in ("Bearer " + body["token"], "Bearer pgt.e30.0000", "Bearer x"):
        status, _, _ = registry_auth.check_host("docker-hub", "GET", MANIFEST, "", bearer, "index.docker.io",
                                                {"accounts": ACCOUNTS})
        assert status == 401


def test_basic_auth_is_distributions_htpasswd_challenge():
    play = {"accounts": ACCOUNTS}
    status, _, headers = registry_auth.check_host("basic", "GET", "/v2/", "", "", "r.example.com:5000", play)
    assert status == 401 and headers["WWW-Authenticate"] == 'Basic realm="Registry Realm"'
    assert registry_auth.check_host("basic", "PUT", MANIFEST, "", basic("reader", "r"), "r.example.com:5000",
                                    play) is None  # htpasswd has no per-user rights
    assert registry_auth.check_host("basic", "GET", "/v2/", "", basic("bot", "x"), "r.example.com:5000", play)[0] == 401


def test_token_auth_serves_its_own_token_endpoint():
    play = {"accounts": ACCOUNTS}
    status, _, headers = registry_auth.check_host("token", "GET", MANIFEST, "", "", "r.example.com:5000", play)
    assert 'realm="https://r.example.com:5000/auth/token",service="r.example.com:5000"' in headers["WWW-Authenticate"]
    status, body, _ = registry_auth.check_host("token", "GET", "/auth/token",
                                               "service=r.example.com:5000&scope=repository:acme/api:pull",
                                               basic("bot", "pw"), "r.example.com:5000", play)
    assert status == 200
    bearer = "Bearer " + json.loads(body)["token"]
    assert registry_auth.check_host("token", "GET", MANIFEST, "", bearer, "r.example.com:5000", play) is None
