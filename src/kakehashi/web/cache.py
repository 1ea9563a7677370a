"""A small in-process cache of answers, keyed on the store file's identity.

The store is read-only while it is served, and a build swaps in a new file (new inode or
mtime), so an answer computed once is valid until the file changes. Some analytics run
thousands of permutations (coherence, event studies) or several Ibis queries (rank): the
dashboard computes each once per store and argument set. Errors are not cached.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from kakehashi.catalog import Answer
from kakehashi.store.reader import Store

MAX_ENTRIES = 256

_lock = threading.Lock()
_answers: OrderedDict[Hashable, Answer] = OrderedDict()
_pending: dict[Hashable, threading.Lock] = {}


def _key(store: Store, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
         ) -> Hashable | None:
    try:
        st = os.stat(store.path)
    except OSError:
        return None  # no store: let the call raise its own error
    text = json.dumps([args, kwargs], sort_keys=True, default=str)
    return (str(store.path), st.st_ino, st.st_mtime_ns, name, text)


def cached(name: str, fn: Callable[..., Answer], store: Store, *args: Any,
           **kwargs: Any) -> Answer:
    """fn(store, *args, **kwargs), computed once per store file and arguments."""
    key = _key(store, name, args, kwargs)
    if key is None:
        return fn(store, *args, **kwargs)
    with _lock:
        if key in _answers:
            _answers.move_to_end(key)
            return _answers[key]
        gate = _pending.setdefault(key, threading.Lock())
    with gate:  # a second request for the same answer waits for the first
        with _lock:
            if key in _answers:
                return _answers[key]
        try:
            answer = fn(store, *args, **kwargs)
        except BaseException:
            with _lock:
                _pending.pop(key, None)
            raise
        with _lock:
            _answers[key] = answer
            _pending.pop(key, None)
            while len(_answers) > MAX_ENTRIES:
                _answers.popitem(last=False)
    return answer


def clear() -> None:
    """Forget the answers, and the whole responses the web middleware keeps."""
    from kakehashi.web import middleware

    with _lock:
        _answers.clear()
    middleware.clear()
