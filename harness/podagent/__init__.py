"""The pod agent: GitHub REST stub, TLS front for the registry, and an admin API.

Standard library only: it runs inside the pod's container with a bare python3, and the host
imports `client` from it. Start it with `python3 -m podagent --config agent.json`.
"""
