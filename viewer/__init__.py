"""Incident Archive Viewer: the application package (parsing, services, CLI and Qt UI)."""

__version__ = "0.1.0"
APP_NAME = "Incident Archive Viewer"
APP_ID = "org.incidentarchive.Viewer"
