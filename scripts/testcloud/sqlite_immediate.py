"""Steward test-cloud shim, loaded from a .pth file in the venv, active only when
STEWARD_SQLITE_IMMEDIATE=1.  oslo.db opens SQLite transactions with a plain
(deferred) BEGIN; when two processes (nova-api, nova-conductor, ...) read and
then write the same file, SQLite answers the lock upgrade with an immediate
"database is locked" (no busy wait).  Starting every oslo.db transaction with
BEGIN IMMEDIATE makes writers queue on the busy timeout (?timeout=30 in the
connection URL) instead.  Class-level Engine listeners run before oslo.db's
per-engine 'begin' listener, which then sees the marker and skips its BEGIN."""
import os

if os.environ.get('STEWARD_SQLITE_IMMEDIATE') == '1':
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, 'begin')
    def _steward_begin_immediate(conn):
        if conn.dialect.name != 'sqlite' or 'in_transaction' in conn.info:
            return
        if conn.connection.dbapi_connection.isolation_level is not None:
            return  # pysqlite manages BEGIN itself (not an oslo.db engine)
        conn.exec_driver_sql('BEGIN IMMEDIATE')
        conn.info['in_transaction'] = True

    @event.listens_for(Engine, 'commit')
    @event.listens_for(Engine, 'rollback')
    def _steward_end(conn):
        conn.info.pop('in_transaction', None)
