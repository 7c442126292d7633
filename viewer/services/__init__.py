"""Services: what the CLI and the UI do with an archive (import, search, export), no Qt."""
