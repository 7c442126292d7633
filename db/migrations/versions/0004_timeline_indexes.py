"""Covering indexes for the timeline: date windows and first perpetrator or place per incident.

Measured with benchmarks/timeline_paint.py on 3,000 incidents: lanes by place took 5.2 s
at fit-all (the planner chose the (kind, value) index and read every place once per
incident) and 37 ms with these indexes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_incidents_timeline",
        "incidents",
        [
            "date_start",
            "date_end",
            "fatalities_min",
            "fatalities_max",
            "fatalities_open",
            "country",
        ],
    )
    op.create_index(
        "ix_perpetrators_incident_id_position", "perpetrators", ["incident_id", "position", "name"]
    )
    op.create_index(
        "ix_incident_terms_incident_id_kind_position",
        "incident_terms",
        ["incident_id", "kind", "position", "value"],
    )


def downgrade() -> None:
    op.drop_index("ix_incident_terms_incident_id_kind_position", table_name="incident_terms")
    op.drop_index("ix_perpetrators_incident_id_position", table_name="perpetrators")
    op.drop_index("ix_incidents_timeline", table_name="incidents")
