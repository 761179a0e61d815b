"""One load at a time: a lease on a single lock node in the database.

A load takes the lease before its first write and renews it before each unit; a second
load meanwhile is refused with a message naming the holder. A lease whose holder died is
taken over: at once when the holder ran on this machine and its process is gone, otherwise
when the lease expires. The lock node is removed when the load ends."""
from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from dataclasses import dataclass, field

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

from ictgraph.graph_loader.errors import DatabaseError
from ictgraph.graph_loader.server.runstate import is_alive
from ictgraph.graph_loader.statements import quote_name

LEASE_SECONDS = 300


class LoadInProgress(DatabaseError):
    """Another load holds the lease."""


@dataclass(frozen=True)
class LoadLease:
    label: str
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    seconds: int = LEASE_SECONDS

    @property
    def node(self) -> str:
        return f"(l:{quote_name(self.label, {self.label})} {{id: 'load'}})"


def _holder_gone(lease: LoadLease, holder: dict[str, object], now: dt.datetime) -> bool:
    expires = holder.get("expires")
    if expires is None or (hasattr(expires, "to_native") and expires.to_native() < now):
        return True
    pid = holder.get("pid")
    return holder.get("host") == lease.host and isinstance(pid, int) and not is_alive(pid)


def _take(tx: neo4j.ManagedTransaction, lease: LoadLease) -> None:
    # Writing a property first takes the node's write lock, so that two loads cannot both
    # read "free" and both take the lease (Neo4j reads are not locked).
    record = tx.run(f"MERGE {lease.node} SET l.claiming = true "
                    "RETURN l.token AS token, l.host AS host, l.pid AS pid, l.started AS started, "
                    "l.expires AS expires, datetime() AS now").single()
    assert record is not None
    holder = dict(record)
    now = holder.pop("now").to_native()
    if holder["token"] not in (None, lease.token) and not _holder_gone(lease, holder, now):
        raise LoadInProgress(
            f"another load is in progress (started {holder['started']} by process {holder['pid']} on {holder['host']})",
            "wait for it to finish and load again; loads are serialised so that no two interleave")
    tx.run(f"MATCH {lease.node} SET l.token = $token, l.host = $host, l.pid = $pid, "
           "l.started = coalesce(CASE WHEN l.token = $token THEN l.started END, datetime()), "
           "l.expires = datetime() + duration({seconds: $seconds}) REMOVE l.claiming",
           token=lease.token, host=lease.host, pid=lease.pid, seconds=lease.seconds).consume()


def acquire(session: neo4j.Session, lease: LoadLease) -> None:
    """Take (or renew) the lease; :class:`LoadInProgress` if another live load holds it."""
    session.execute_write(_take, lease)


def release(session: neo4j.Session, lease: LoadLease) -> None:
    """Drop the lock node if this load still holds it. Best effort and without retries: when
    the server is gone, the lease expires by itself (or is taken over from a dead process)."""
    try:
        session.run(f"MATCH {lease.node} WHERE l.token = $token DELETE l", token=lease.token).consume()
    except (DriverError, Neo4jError):
        pass
