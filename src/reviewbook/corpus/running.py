"""Running one task per input file with Dask: on this machine's cores, or on a cluster.

``scheduler`` names where the tasks run: ``processes`` (Dask's local multiprocessing
scheduler, the default: parsing holds the GIL, so threads would not help), ``threads``,
``synchronous`` (one at a time, in this process), or the address of a ``dask.distributed``
scheduler (``tcp://host:8786``), whose workers must see the input and output folders at the
same paths. Each finished task's result is handed to ``on_done`` as it arrives, for a
progress bar; the results come back in the order of the calls.

A build killed by a signal leaves no process of its own behind: each local worker process
exits as soon as the process that started it is gone (`exit_with_parent`). On a cluster the
build connects a client of its own to the address, closed however the build ends; the
scheduler then forgets the build's tasks. A task is a pure function of its file (it writes
only that file's partitions), so running it again is safe: the scheduler does so on another
worker when a worker dies under it, and ``retries`` more times when it raises.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Call = TypeVar("Call")
Result = TypeVar("Result")

LOCAL_SCHEDULERS: tuple[str, ...] = ("processes", "threads", "synchronous")
"""Dask's single-machine schedulers; any other value is a dask.distributed address."""
CLUSTER_RETRIES = 2
"""Times a cluster runs a task again after it raised (a lost worker is the scheduler's own
business: it reruns the task elsewhere, up to its ``distributed.scheduler.allowed-failures``)."""
PARENT_GONE_STATUS = 4
"""Exit status of a local worker process whose build was killed."""


def run_tasks(
    task: Callable[[Call], Result],
    calls: Sequence[Call],
    *,
    scheduler: str = "processes",
    workers: int | None = None,
    on_done: Callable[[Result], None] = lambda result: None,
    on_lost: Callable[[Call, BaseException], Result] | None = None,
) -> list[Result]:
    """``[task(call) for call in calls]``, run by Dask (see the module's docstring).

    On a cluster a task can be lost without returning (its worker died): ``on_lost`` turns
    that into a result, else the error is raised. ``workers`` sets how many local processes
    or threads run (default: one per core); a cluster has its own.
    """
    check_scheduler(scheduler)
    if not calls:
        return []
    if scheduler in LOCAL_SCHEDULERS:
        return _run_locally(task, calls, scheduler=scheduler, workers=workers, on_done=on_done)
    return _run_on_cluster(task, calls, address=scheduler, on_done=on_done, on_lost=on_lost)


def check_scheduler(scheduler: str) -> str:
    """``scheduler``, when it names a local scheduler or is an address (``tcp://host:8786``);
    else ValueError: a misspelt name would be taken for the address of a host."""
    if scheduler in LOCAL_SCHEDULERS or "://" in scheduler:
        return scheduler
    raise ValueError(
        f"{scheduler!r} is neither {', '.join(LOCAL_SCHEDULERS)} nor a scheduler's address "
        "(tcp://HOST:PORT)"
    )


def _run_locally(
    task: Callable[[Call], Result],
    calls: Sequence[Call],
    *,
    scheduler: str,
    workers: int | None,
    on_done: Callable[[Result], None],
) -> list[Result]:
    import dask
    import dask.local
    import dask.multiprocessing
    import dask.threaded
    from dask.callbacks import Callback

    # Named by their functions, not their names: a name makes Dask import dask.distributed
    # (when installed) to look for a client first, a second or so and a thousand files.
    get = {
        "processes": dask.multiprocessing.get,
        "threads": dask.threaded.get,
        "synchronous": dask.local.get_sync,
    }[scheduler]

    keys = {}
    delayed = []
    for number, call in enumerate(calls):
        item = dask.delayed(task, pure=False)(call, dask_key_name=f"corpus-file-{number}")
        keys[item.key] = number
        delayed.append(item)

    def finished(key: Any, result: Any, *_: Any) -> None:
        if key in keys:
            on_done(result)

    options: dict[str, Any] = {"scheduler": get}
    if scheduler != "synchronous":
        # One file is seconds of work: hand tasks out one by one (Dask batches six by default,
        # which would give a handful of files all to the first worker).
        options["chunksize"] = 1
        if workers is not None:
            options["num_workers"] = workers
    if scheduler == "processes":
        options["initializer"] = exit_with_parent
    with Callback(posttask=finished):
        return list(dask.compute(*delayed, **options))


def _run_on_cluster(
    task: Callable[[Call], Result],
    calls: Sequence[Call],
    *,
    address: str,
    on_done: Callable[[Result], None],
    on_lost: Callable[[Call, BaseException], Result] | None,
) -> list[Result]:
    from asyncio import CancelledError

    from distributed import Client, as_completed

    with Client(address, set_as_default=False) as client:
        futures = client.map(task, calls, pure=False, retries=CLUSTER_RETRIES)
        position = {future.key: number for number, future in enumerate(futures)}
        results: list[Any] = [None] * len(calls)
        # On this client's loop: by default as_completed takes the loop of the process's
        # default client, which there may not be, or which may be another cluster's.
        for future in as_completed(futures, loop=client.loop):
            number = position[future.key]
            try:
                result = future.result()
            except (Exception, CancelledError) as error:  # cancelled: the scheduler is gone
                if on_lost is None:
                    raise
                result = on_lost(calls[number], error)
            results[number] = result
            on_done(result)
        return results


def exit_with_parent() -> None:
    """Make this local worker process exit as soon as the process that started it is gone.

    A process pool's workers wait for tasks on a queue they hold open themselves, so they
    would outlive a build killed by SIGTERM or SIGKILL, waiting forever; a thread here waits
    on the pipe multiprocessing keeps to the parent instead, which closes when it dies."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent,), daemon=True).start()


def _exit_when_gone(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(PARENT_GONE_STATUS)
