"""Renderers: a report in, text for people or data for machines out."""
