"""File > Open Team Archive…: where a team archive is (host, port, database) and who opens
it (user, password). The password goes into the connection only: the recent archives and the
settings keep the URL without it, and nothing logs or shows it."""

from __future__ import annotations

from urllib.parse import quote

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

DEFAULT_PORT = 5432


class TeamArchiveDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open Team Archive"))
        self.host = QLineEdit("localhost", self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("empty: from ~/.pgpass or PGPASSWORD"))
        hint = QLabel(
            self.tr(
                "A team archive is a PostgreSQL database that its owner prepared with "
                "`team init`. The password is not remembered."
            ),
            self,
        )
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Host"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(hint)
        form.addRow(self.buttons)
        for field in (self.host, self.database, self.user):
            field.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        ready = all(f.text().strip() for f in (self.host, self.database, self.user))
        button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        if button is not None:
            button.setEnabled(ready)

    def url(self) -> str:
        """postgresql://user[:password]@host:port/database, each part percent-encoded."""
        secret = self.password.text()
        credentials = quote(self.user.text().strip(), safe="")
        if secret:
            credentials += ":" + quote(secret, safe="")
        host = self.host.text().strip()
        database = quote(self.database.text().strip(), safe="")
        return f"postgresql://{credentials}@{host}:{self.port.value()}/{database}"
