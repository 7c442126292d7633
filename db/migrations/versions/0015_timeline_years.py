"""A team archive keeps its incidents counted per calendar year and lane (timeline_years),
so that the timeline's coarse zoom levels (buckets of whole years) read a few thousand
counted rows instead of every incident's index entry.

Issue 15's target is the fit-all timeline window at 100,000 incidents within 50 ms on
PostgreSQL; aggregating the incidents themselves (100,000 entries of the covering index per
window) took 423-435 ms there, of which counting alone was 65-90 ms. One row here holds, for
a lane mode ('none', 'perpetrator', 'place', 'country'), a lane (the stored value as the
window names it, '' for an unknown one) and a year (the first four characters of
date_start), what the timeline shows of a cluster: how many, first and last start date, the
smallest id, the tolls.

Kept exact on write by triggers: new incidents (a COPY batch of the import, a copy between
engines) are added by one statement-level trigger per statement (a transition table, no
per-row cost); a deleted incident, or a change of its date, lanes or tolls (a re-import, a
correction, reindex), has the rows it touched counted again from the incidents. The
existing incidents are counted when the revision runs.

SQLite's archive stays as it was: its timeline aggregates the incidents in one pass that
costs a few tens of milliseconds at 100,000, and keeping the rows there would cost every
import a trigger per row (dialect branch; the table is not in db/models.py, like the
full-text tables).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# What Python's str.strip() removes (db.timeline.WHITESPACE when this revision was made): a
# lane is kept under its stored value stripped of these ('' for a blank or missing one), the
# name the window gives it, so that reading needs no per-row work.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _named(column: str) -> str:
    return f"coalesce(btrim({column}, '{_WHITESPACE}'), '')"


# The lanes of each row of `rows` (an alias), one per lane mode.
_MODES = f"""CROSS JOIN LATERAL (VALUES ('none', ''),
    ('perpetrator', {_named("r.lane_perpetrator")}), ('place', {_named("r.lane_place")}),
    ('country', {_named("r.country")})) AS m(mode, lane)"""

_AGGREGATES = """count(*), min(r.date_start), max(r.date_start), min(r.id),
    min(r.fatalities_min), max(coalesce(r.fatalities_max, r.fatalities_min)),
    coalesce(bool_or(r.fatalities_open), false),
    sum(coalesce(r.fatalities_min, r.fatalities_max))"""

_COLUMNS = "mode, lane, year, n, first, last, one_id, fmin, fmax, fopen, ftotal"

# Every change of the counts takes this transaction-level lock first (any fixed number), so
# that two writers never recount one row at once: without it, two corrections in one year
# both deleted and inserted the year's row, and the second failed on its primary key. Each
# statement after the lock sees what the writer before it committed (READ COMMITTED).
COUNTS_LOCK = 0x1A7C_0F15
_LOCK = f"PERFORM pg_advisory_xact_lock({COUNTS_LOCK});"

_ADD = f"""INSERT INTO timeline_years AS t ({_COLUMNS})
SELECT m.mode, m.lane, left(r.date_start, 4), {_AGGREGATES}
FROM {{rows}} AS r {_MODES}
WHERE r.date_start IS NOT NULL
GROUP BY 1, 2, 3
ON CONFLICT (mode, year, lane) DO UPDATE SET
    n = t.n + excluded.n, first = least(t.first, excluded.first),
    last = greatest(t.last, excluded.last), one_id = least(t.one_id, excluded.one_id),
    fmin = least(t.fmin, excluded.fmin), fmax = greatest(t.fmax, excluded.fmax),
    fopen = t.fopen OR excluded.fopen,
    ftotal = CASE WHEN t.ftotal IS NULL THEN excluded.ftotal
                  WHEN excluded.ftotal IS NULL THEN t.ftotal
                  ELSE t.ftotal + excluded.ftotal END"""

# The rows of the given (mode, lane, year) keys counted again from the incidents; the range
# on date_start lets the covering timeline index find a year's incidents.
_RECOUNT = f"""
CREATE FUNCTION timeline_years_recount(modes text[], lanes text[], years text[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM timeline_years AS t
    USING unnest(modes, lanes, years) AS k(mode, lane, year)
    WHERE t.mode = k.mode AND t.year = k.year AND t.lane = k.lane;
    INSERT INTO timeline_years ({_COLUMNS})
    SELECT k.mode, k.lane, k.year, g.*
    FROM (SELECT DISTINCT * FROM unnest(modes, lanes, years)) AS k(mode, lane, year)
    CROSS JOIN LATERAL (
        SELECT {_AGGREGATES}
        FROM incidents AS r
        WHERE r.date_start >= k.year AND r.date_start < k.year || '-99'
          AND left(r.date_start, 4) = k.year
          AND CASE k.mode WHEN 'none' THEN true
                          WHEN 'perpetrator' THEN {_named("r.lane_perpetrator")} = k.lane
                          WHEN 'place' THEN {_named("r.lane_place")} = k.lane
                          ELSE {_named("r.country")} = k.lane END
    ) AS g(n, first, last, one_id, fmin, fmax, fopen, ftotal)
    WHERE g.n > 0;
END $$"""

_KEYS = f"""SELECT array_agg(m.mode), array_agg(m.lane), array_agg(left(r.date_start, 4))
FROM {{rows}} AS r {_MODES} WHERE r.date_start IS NOT NULL"""

_FUNCTIONS = [
    f"""CREATE FUNCTION timeline_years_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_LOCK}
    {_ADD.format(rows="added")};
    RETURN NULL;
END $$""",
    _RECOUNT,
    f"""CREATE FUNCTION timeline_years_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE modes text[]; lanes text[]; years text[];
BEGIN
    {_LOCK}
    {_KEYS.format(rows="removed")} INTO modes, lanes, years;
    IF modes IS NOT NULL THEN
        PERFORM timeline_years_recount(modes, lanes, years);
    END IF;
    RETURN NULL;
END $$""",
    # a row-level trigger, called only when what the timeline shows of the incident changed
    f"""CREATE FUNCTION timeline_years_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE modes text[]; lanes text[]; years text[];
BEGIN
    {_LOCK}
    {_KEYS.format(rows="(SELECT OLD.* UNION ALL SELECT NEW.*)")} INTO modes, lanes, years;
    IF modes IS NOT NULL THEN
        PERFORM timeline_years_recount(modes, lanes, years);
    END IF;
    RETURN NULL;
END $$""",
]

_SHOWN = "date_start, lane_perpetrator, lane_place, country, fatalities_min, fatalities_max, "
_SHOWN += "fatalities_open, id"

_TRIGGERS = [
    "CREATE TRIGGER timeline_years_added AFTER INSERT ON incidents "
    "REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION timeline_years_added()",
    "CREATE TRIGGER timeline_years_removed AFTER DELETE ON incidents "
    "REFERENCING OLD TABLE AS removed FOR EACH STATEMENT "
    "EXECUTE FUNCTION timeline_years_removed()",
    "CREATE TRIGGER timeline_years_changed AFTER UPDATE ON incidents FOR EACH ROW "
    f"WHEN (({', '.join('OLD.' + c for c in _SHOWN.split(', '))}) IS DISTINCT FROM "
    f"({', '.join('NEW.' + c for c in _SHOWN.split(', '))})) "
    "EXECUTE FUNCTION timeline_years_changed()",
    "CREATE TRIGGER timeline_years_emptied AFTER TRUNCATE ON incidents "
    "FOR EACH STATEMENT EXECUTE FUNCTION timeline_years_emptied()",
]

_EMPTIED = f"""CREATE FUNCTION timeline_years_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_LOCK}
    DELETE FROM timeline_years;
    RETURN NULL;
END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        sa.text(
            """CREATE TABLE timeline_years (
    mode text NOT NULL, lane text NOT NULL, year text NOT NULL, n integer NOT NULL,
    first text NOT NULL, last text NOT NULL, one_id integer NOT NULL, fmin integer,
    fmax integer, fopen boolean NOT NULL, ftotal bigint,
    PRIMARY KEY (mode, year, lane)
)"""
        )
    )
    for statement in [*_FUNCTIONS, _EMPTIED, *_TRIGGERS]:
        op.execute(sa.text(statement))
    op.execute(sa.text(_ADD.format(rows="incidents")))  # the incidents there already


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for trigger in ("added", "removed", "changed", "emptied"):
        op.execute(sa.text(f"DROP TRIGGER IF EXISTS timeline_years_{trigger} ON incidents"))
    for function in ("added()", "removed()", "changed()", "emptied()",
                     "recount(text[], text[], text[])"):  # fmt: skip
        op.execute(sa.text(f"DROP FUNCTION IF EXISTS timeline_years_{function}"))
    op.execute(sa.text("DROP TABLE IF EXISTS timeline_years"))
