"""Fetch PubMed records from NCBI E-utilities, politely: rate-limited, retried, cached.

`EutilsClient` asks ``efetch`` for a PMID's PubMed XML, naming the tool and, when given, an
e-mail address and an API key (``NCBI_EMAIL``, ``NCBI_API_KEY``). NCBI allows 3 requests a
second without a key and 10 with one; `RateLimiter` spaces requests to match. Busy or failing
servers (HTTP 429 and 5xx) and timeouts are retried with exponential backoff; replies are checked
to be PubMed XML holding the record before they are cached on disk, so a later run needs no
network. Every failure is an `NcbiError` with a message for people and an exit status for the
command line.
"""

from __future__ import annotations

import http.client
import math
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reviewbook.errors import ReadError
from reviewbook.files import write_atomically
from reviewbook.model import Article, is_pmid
from reviewbook.sources.pubmed_xml import parse_pubmed_xml

EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
TOOL = "reviewbook"
REQUESTS_PER_SECOND = {False: 3.0, True: 10.0}
"""NCBI's limit without (False) and with (True) an API key."""
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses that mean "try again later" rather than "this request is wrong"."""
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
"""Seconds before the first retry; each later retry waits twice as long as the one before."""
ENVIRONMENT = {"api_key": "NCBI_API_KEY", "email": "NCBI_EMAIL", "cache": "REVIEWBOOK_CACHE"}
"""Environment variables the client reads."""

EXIT_BAD_PMID = 2
"""Exit status for a PMID that is not one (as for other input that cannot be read)."""
EXIT_BAD_REPLY = 65
"""Exit status when NCBI answers, but not with the record (sysexits' ``EX_DATAERR``)."""
EXIT_UNAVAILABLE = 69
"""Exit status when NCBI cannot be reached or keeps failing (sysexits' ``EX_UNAVAILABLE``)."""


class NcbiError(RuntimeError):
    """NCBI E-utilities could not give the record; ``exit_status`` is for the command line."""

    def __init__(self, message: str, *, exit_status: int = EXIT_UNAVAILABLE) -> None:
        self.exit_status = exit_status
        super().__init__(message)


# --- rate limiting ---------------------------------------------------------------------------


@dataclass
class RateLimiter:
    """Spaces calls to `wait` at least ``1 / per_second`` apart on a monotonic clock."""

    per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next_start: float = field(default=-math.inf, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def wait(self) -> None:
        """Return once a request may start, sleeping if the last one started too recently."""
        with self._lock:
            now = self.clock()
            if now < self._next_start:
                self.sleep(self._next_start - now)
                now = self._next_start
            self._next_start = now + 1.0 / self.per_second


_SHARED_LIMITERS: dict[float, RateLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(per_second: float) -> RateLimiter:
    """One limiter per rate for the whole process, so separate clients share NCBI's limit."""
    with _SHARED_LOCK:
        return _SHARED_LIMITERS.setdefault(per_second, RateLimiter(per_second))


# --- the client ------------------------------------------------------------------------------


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$REVIEWBOOK_CACHE``, else ``~/.cache/reviewbook``."""
    environ = os.environ if environ is None else environ
    configured = environ.get(ENVIRONMENT["cache"])
    return Path(configured) if configured else Path.home() / ".cache" / "reviewbook"


class EutilsClient:
    """A client for E-utilities ``efetch`` with NCBI's etiquette built in.

    ``api_key`` and ``email`` default to ``$NCBI_API_KEY`` and ``$NCBI_EMAIL`` (read from
    ``environ``, ``os.environ`` unless given). ``cache_dir`` defaults to `default_cache_dir`;
    ``cache=False`` neither reads nor writes it. Requests are spaced by a limiter shared by the
    whole process, or, when ``clock`` is given (tests), by one on that clock and ``sleep``, which
    also waits out retries.
    """

    def __init__(
        self,
        *,
        base_url: str = EUTILS_URL,
        tool: str = TOOL,
        email: str | None = None,
        api_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        cache: bool = True,
        cache_dir: str | os.PathLike[str] | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.tool = tool
        self.email = email or environ.get(ENVIRONMENT["email"]) or None
        self.api_key = api_key or environ.get(ENVIRONMENT["api_key"]) or None
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.cache_dir = (
            (Path(cache_dir) if cache_dir else default_cache_dir(environ)) if cache else None
        )
        rate = REQUESTS_PER_SECOND[self.api_key is not None]
        self.limiter = shared_limiter(rate) if clock is None else RateLimiter(rate, clock, sleep)
        self.sleep = sleep

    # public -------------------------------------------------------------------------------

    def fetch_pubmed_xml(self, pmid: str) -> bytes:
        """The PubMed XML of one PMID, from the cache or from ``efetch``."""
        return self._fetch(pmid)[0]

    def fetch_article(self, pmid: str) -> Article:
        """The record of one PMID read into an `Article` (references included)."""
        _, articles = self._fetch(pmid)
        return next(article for article in articles if article.pmid == _checked_pmid(pmid))

    def efetch_url(self, pmid: str) -> str:
        """The ``efetch`` address for a PMID, with tool, e-mail and API key parameters."""
        params = {"db": "pubmed", "id": _checked_pmid(pmid), "retmode": "xml", "tool": self.tool}
        params |= {name: value for name, value in self._identity().items() if value}
        return f"{self.base_url}efetch.fcgi?{urllib.parse.urlencode(params)}"

    def cache_path(self, pmid: str) -> Path | None:
        """Where the XML of a PMID is cached, or None without a cache."""
        if self.cache_dir is None:
            return None
        return self.cache_dir / "efetch" / "pubmed" / f"{_checked_pmid(pmid)}.xml"

    # steps --------------------------------------------------------------------------------

    def _identity(self) -> dict[str, str | None]:
        return {"email": self.email, "api_key": self.api_key}

    def _fetch(self, pmid: str) -> tuple[bytes, list[Article]]:
        pmid = _checked_pmid(pmid)
        cached = self.cache_path(pmid)
        if cached is not None and cached.is_file():
            data = cached.read_bytes()
            try:
                return data, _records_of(pmid, data, origin=str(cached))
            except NcbiError:
                pass  # a damaged cache entry is fetched again and overwritten
        data = self._get(self.efetch_url(pmid))
        articles = _records_of(pmid, data, origin=f"{self.base_url}efetch.fcgi")
        if cached is not None:
            write_atomically(cached, data)
        return data, articles

    def _get(self, url: str) -> bytes:
        """The body of a GET, retrying what may pass; never shows the URL (it holds the key)."""
        service = f"NCBI E-utilities at {self.base_url}"
        request = urllib.request.Request(url, headers={"User-Agent": f"{self.tool} (Python)"})
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            last_try = attempt == self.retries
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                if error.code not in RETRY_STATUSES:
                    raise NcbiError(
                        f"{service} refused the request: HTTP {error.code} {error.reason}",
                        exit_status=EXIT_BAD_REPLY,
                    ) from None
                if last_try:
                    raise NcbiError(
                        f"{service} kept failing: HTTP {error.code} {error.reason} after "
                        f"{attempt + 1} attempts; try again later"
                    ) from None
                delay = _retry_after(error.headers) or self.backoff * 2**attempt
            except (TimeoutError, http.client.HTTPException, ConnectionError) as error:
                if last_try:
                    raise NcbiError(_no_answer(service, error, attempt + 1)) from None
                delay = self.backoff * 2**attempt
            except urllib.error.URLError as error:
                if not isinstance(error.reason, TimeoutError) or last_try:
                    raise NcbiError(
                        f"cannot reach {service} ({error.reason}): check your network"
                    ) from None
                delay = self.backoff * 2**attempt
            self.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _no_answer(service: str, error: Exception, attempts: int) -> str:
    if isinstance(error, TimeoutError):
        return f"{service} did not answer in time after {attempts} attempts: check your network"
    return f"{service} broke off its answer ({error or type(error).__name__}): try again later"


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from a ``Retry-After`` header, when it gives a number."""
    value = (headers or {}).get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _checked_pmid(pmid: str) -> str:
    text = str(pmid).strip()
    if not is_pmid(text):
        raise NcbiError(
            f"not a PMID: {pmid!r} (a PMID is 1 to 9 digits)", exit_status=EXIT_BAD_PMID
        )
    return text


def _records_of(pmid: str, data: bytes, *, origin: str) -> list[Article]:
    """The reply read as PubMed XML, which must hold the PMID's record."""
    try:
        articles = parse_pubmed_xml(data, source_path=origin)
    except ReadError as error:
        raise NcbiError(
            f"NCBI E-utilities sent no PubMed XML for PMID {pmid}: {error.reason}",
            exit_status=EXIT_BAD_REPLY,
        ) from None
    if not any(article.pmid == pmid for article in articles):
        raise NcbiError(f"PubMed has no record for PMID {pmid}", exit_status=EXIT_BAD_REPLY)
    return articles
