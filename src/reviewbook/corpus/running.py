"""Running one task per input file with Dask: on this machine's cores, or on a cluster.

``scheduler`` names where the tasks run: ``processes`` (Dask's local multiprocessing
scheduler, the default: parsing holds the GIL, so threads would not help), ``threads``,
``synchronous`` (one at a time, in this process), or the address of a ``dask.distributed``
scheduler (``tcp://host:8786``), whose workers must see the input and output folders at the
same paths. Each finished task's result is handed to ``on_done`` as it arrives, for a
progress bar; the results come back in the order of the calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Call = TypeVar("Call")
Result = TypeVar("Result")

LOCAL_SCHEDULERS: tuple[str, ...] = ("processes", "threads", "synchronous")
"""Dask's single-machine schedulers; any other value is a dask.distributed address."""


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
    if not calls:
        return []
    if scheduler in LOCAL_SCHEDULERS:
        return _run_locally(task, calls, scheduler=scheduler, workers=workers, on_done=on_done)
    return _run_on_cluster(task, calls, address=scheduler, on_done=on_done, on_lost=on_lost)


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
    from distributed import Client, as_completed

    with Client(address, set_as_default=False) as client:
        futures = client.map(task, calls, pure=False)
        position = {future.key: number for number, future in enumerate(futures)}
        results: list[Any] = [None] * len(calls)
        for future in as_completed(futures):
            number = position[future.key]
            try:
                result = future.result()
            except Exception as error:
                if on_lost is None:
                    raise
                result = on_lost(calls[number], error)
            results[number] = result
            on_done(result)
        return results
