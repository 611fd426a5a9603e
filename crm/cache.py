"""Reads that change only on admin edits (tier ranges, niche choices, user choices, each user's
permissions), kept in Django's cache across requests and dropped when such an edit commits.

Every cached value is stored under the current *generation*, a random token held in the cache
itself. A write that changes cached data calls ``invalidate()``, which puts a new token in place
once the write's transaction commits, so every process sharing the cache reads fresh data on its
very next read (the old values are left to expire). A random token, not a counter: a token
evicted from the cache comes back as a new one, never as an old value's.

Why this holds under concurrency: a reader takes the token before it reads the database, and the
new token appears only after the commit. A reader that raced the commit may store old data, but
under the old token, which nobody reads any more.

Inside the writing transaction itself (and in tests, which never commit) that connection already
sees its uncommitted write, which must not reach other readers in case it rolls back: until the
transaction ends, its reads are cached under a key of their own (a new one after each write),
which nobody else reads and which a rollback simply leaves behind.

Several app servers must share one cache (``CACHE_URL``) for an edit on one to reach the others;
the per-process default suits one process (``make run``, tests).

Each process also keeps the values it has read, under their generation, in its own memory, and a
request reads the generation once: a page's cached reads then cost one shared-cache read (a round
trip to Redis, or a file and an unpickling without it) instead of two per value. A value is the
same object for every request of the process until the generation changes, so callers must not
change what ``cached()`` returns. A request keeps the generation it started with: a commit
elsewhere shows from the next request on, and its own commits at once.
"""

import uuid

from asgiref.local import Local
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction


class _Missing:
    pass


_MISSING = _Missing()

GENERATION_KEY = "crm:generation"
# A safety net only: invalidation is what keeps values right.
TIMEOUT = 24 * 60 * 60

# Values this process has read: {"key@generation": value}, of one generation at a time.
_local = {}
_local_generation = None
LOCAL_MAX_ENTRIES = 10_000

_state = Local()


def cached(key, compute, timeout=TIMEOUT):
    """``compute()``'s value, from the cache while no write has invalidated it. The value may be
    shared with other requests: don't change it."""
    generation = _generation()
    scope = _private_scope()
    versioned = f"{key}@{generation}{scope}"
    value = _local.get(versioned, _MISSING) if not scope else _MISSING
    if value is not _MISSING:
        return value
    value = cache.get(versioned, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(versioned, value, timeout)
    if not scope:
        _remember(generation, versioned, value)
    return value


def _generation():
    """The current generation token: read once per request (request_started marks a request's
    start with None), else at every call."""
    generation = getattr(_state, "request_generation", _MISSING)
    if generation is not _MISSING and generation is not None:
        return generation
    current = cache.get(GENERATION_KEY)
    if current is None:
        current = _new_generation(replace=False)
    if generation is None:
        _state.request_generation = current
    return current


def _remember(generation, versioned, value):
    global _local_generation
    # Entries of an older generation are never read again: a new one starts afresh.
    if generation != _local_generation or len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()
        _local_generation = generation
    _local[versioned] = value


def request_started(**kwargs):
    """A request begins: its first cached read takes the generation (crm/apps.py connects it)."""
    _state.request_generation = None


def request_finished(**kwargs):
    _state.request_generation = _MISSING


def invalidate(using=DEFAULT_DB_ALIAS):
    """Drop every cached value once the current transaction commits (at once outside one)."""
    connection = connections[using]
    if connection.in_atomic_block:
        # Until this transaction ends, its own reads use keys of their own (_private_scope).
        _state.writing = (connection.atomic_blocks[0], uuid.uuid4().hex)
        transaction.on_commit(_committed, using=using)
    else:
        _new_generation(replace=True)


def _committed():
    _state.writing = None
    _new_generation(replace=True)


def _private_scope(using=DEFAULT_DB_ALIAS):
    """ "" for shared keys; a suffix of this thread's own while its transaction has written."""
    writing = getattr(_state, "writing", None)
    if writing is None:
        return ""
    block, token = writing
    connection = connections[using]
    if connection.in_atomic_block and connection.atomic_blocks[0] is block:
        return f":{token}"
    # That transaction ended: committed (a new generation is in place) or rolled back (its
    # reads went to its own keys).
    _state.writing = None
    return ""


def _new_generation(*, replace):
    token = uuid.uuid4().hex
    if replace:
        cache.set(GENERATION_KEY, token, None)
        if getattr(_state, "request_generation", _MISSING) is not _MISSING:
            _state.request_generation = token  # this request sees its own commit at once
        return token
    if cache.add(GENERATION_KEY, token, None):
        return token
    return cache.get(GENERATION_KEY) or token


class InvalidatingQuerySet(models.QuerySet):
    """The QuerySet of a model whose rows are cached: its bulk writes, which send no signals,
    drop the cache too (saves and deletes do through the model's signal receivers)."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        invalidate(using=self.db)
        return rows

    update.alters_data = True

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        invalidate(using=self.db)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        invalidate(using=self.db)
        return rows

    bulk_update.alters_data = True
