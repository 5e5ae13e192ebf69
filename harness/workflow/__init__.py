"""Pure GitHub Actions semantics: the workflow model, events, the expression contexts, triggers,
and the workflow and file commands steps write. No Docker, no world: what GitHub itself defines."""
