"""Connection settings and the driver: the password comes from the environment, a prompt,
or (for ictgraph's own server started with ``--auth``) its password file; never from argv,
and it never appears in a message."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError, ServiceUnavailable

from ictgraph.graph_loader.errors import DatabaseError
from ictgraph.graph_loader.server.auth import local_password

DEFAULT_URI = "bolt://127.0.0.1:7687"
_CREDENTIALS = re.compile(r"//[^/@]*@")


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str = DEFAULT_URI
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str = "neo4j"

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, database: str | None = None) -> Neo4jSettings:
        """Flags win over ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_DATABASE``; the password
        is read from ``NEO4J_PASSWORD``, else, when the URI is the running local server's
        and it has authentication on, from that server's password file."""
        chosen = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
        return cls(uri=chosen,
                   user=user or os.environ.get("NEO4J_USER") or "neo4j",
                   password=os.environ.get("NEO4J_PASSWORD") or local_password(chosen),
                   database=database or os.environ.get("NEO4J_DATABASE") or "neo4j")

    @property
    def safe_uri(self) -> str:
        """The URI with any user:password@ removed, for messages."""
        return _CREDENTIALS.sub("//", self.uri)


def describe_failure(settings: Neo4jSettings, error: Exception) -> DatabaseError:
    """A one-line :class:`DatabaseError` naming the server, never the password."""
    where = settings.safe_uri
    if isinstance(error, AuthError):
        return DatabaseError(f"{where}: authentication failed for user \"{settings.user}\"",
                             "set NEO4J_USER and NEO4J_PASSWORD in the environment")
    if isinstance(error, (ServiceUnavailable, OSError)):
        return DatabaseError(f"cannot reach Neo4j at {where}",
                             "start the local server with `ictgraph neo4j start`, or set NEO4J_URI")
    if isinstance(error, ConfigurationError):
        return DatabaseError(f"{where}: {_scrub(str(error), settings)}")
    text = error.message if isinstance(error, Neo4jError) and error.message else str(error)
    return DatabaseError(f"{where}: {_scrub(text, settings)}")


def _scrub(text: str, settings: Neo4jSettings) -> str:
    text = _CREDENTIALS.sub("//", text).splitlines()[0] if text else text
    return text.replace(settings.password, "****") if settings.password else text


@contextmanager
def open_driver(settings: Neo4jSettings) -> Iterator[neo4j.Driver]:
    """A connected driver (connectivity verified), closed on exit."""
    auth = (settings.user, settings.password) if settings.password else None
    try:
        # Bounded waits: a server that went away is reported in seconds, not minutes.
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=auth, connection_timeout=10.0,
                                            connection_acquisition_timeout=30.0, max_transaction_retry_time=15.0)
    except (ValueError, ConfigurationError, DriverError) as error:
        raise describe_failure(settings, error) from None
    try:
        try:
            driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError) as error:
            raise describe_failure(settings, error) from None
        yield driver
    finally:
        driver.close()
