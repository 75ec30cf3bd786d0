"""The embedded default: scenarios replayed on loopback servers, no network needed."""
