"""The simulation harness. Data flows one way, each folder resting only on those before it:

expressions → workflow → library → world → trace → checks → report → pod → runner → play → commands

`podagent/` is a program of its own that runs inside the pod; `pod/` talks to it over its socket.
`tests/test_layering.py` holds the house to this.
"""
