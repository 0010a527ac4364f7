"""Steward test-cloud shim, loaded from a .pth file in the venv, active only when
STEWARD_SQLITE_IMMEDIATE=1.  oslo.db opens SQLite transactions with a plain
(deferred) BEGIN; when two processes (nova-api, nova-conductor, ...) read and
then write the same file, SQLite answers the lock upgrade with an immediate
"database is locked" (no busy wait).  Starting every oslo.db transaction with
BEGIN IMMEDIATE makes writers queue on the busy timeout (?timeout=30 in the
connection URL) instead.  Class-level Engine listeners run before oslo.db's
per-engine 'begin' listener, which then sees the marker and skips its BEGIN.

A transaction that a thread opens on a second connection while it still holds
an IMMEDIATE one keeps oslo.db's deferred BEGIN: with IMMEDIATE it would wait
on its own thread's lock until the busy timeout.  Placement does exactly that
when two allocation writes race: inside the writer transaction it re-reads the
resource provider in an `independent` reader, and every racing server create
failed with NoValidHost after 30 s ("database is locked").  The files are in
WAL mode, so a deferred read never waits for the writer."""
import os

if os.environ.get('STEWARD_SQLITE_IMMEDIATE') == '1':
    import threading

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    _holder = threading.local()  # eventlet patches this to per-greenthread

    def _holds_immediate(conn):
        other = getattr(_holder, 'conn', None)
        if other is None or other is conn:
            return False
        try:
            return (not other.closed and other.in_transaction()
                    and other.info.get('steward_immediate', False))
        except Exception:
            return False

    @event.listens_for(Engine, 'begin')
    def _steward_begin_immediate(conn):
        if conn.dialect.name != 'sqlite' or 'in_transaction' in conn.info:
            return
        if conn.connection.dbapi_connection.isolation_level is not None:
            return  # pysqlite manages BEGIN itself (not an oslo.db engine)
        if _holds_immediate(conn):
            return  # nested independent transaction: oslo.db's deferred BEGIN
        conn.exec_driver_sql('BEGIN IMMEDIATE')
        conn.info['in_transaction'] = True
        conn.info['steward_immediate'] = True
        _holder.conn = conn

    @event.listens_for(Engine, 'commit')
    @event.listens_for(Engine, 'rollback')
    def _steward_end(conn):
        conn.info.pop('in_transaction', None)
        if conn.info.pop('steward_immediate', False) and getattr(_holder, 'conn', None) is conn:
            _holder.conn = None
