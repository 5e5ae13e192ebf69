"""Jinja2 templates for each step's bash; packaged as data so installed copies can render."""
