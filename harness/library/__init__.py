"""The scenario and timeline library: the file schemas, one loader (one parse per file), selection
by name, suite or glob, and the built-in YAML files (`scenarios/`, `timelines/`)."""
