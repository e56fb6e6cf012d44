"""Fetch PubMed records and PMC full texts from NCBI E-utilities, politely: rate-limited,
retried, cached.

`EutilsClient` asks ``efetch`` for a PMID's PubMed XML, naming the tool and, when given, an
e-mail address and an API key (``NCBI_EMAIL``, ``NCBI_API_KEY``). `fetch_records` asks for
many PMIDs (a review's cited works) in batches of at most 200, and `convert_ids` asks NCBI's
PMC ID converter for the PMIDs of DOIs and PMCIDs, 200 at a time. `find_pmcid` asks the
converter for a PMID's PMCID, and `fetch_full_text` asks ``efetch`` (``db=pmc``) for a
PMCID's full text (JATS XML), which must hold the article's body: PMC sends an article whose
publisher does not allow its download without one (`NoFullText`). NCBI allows 3 requests a
second without a key and 10 with one; `RateLimiter` spaces requests to match. Busy or failing
servers (HTTP 429 and 5xx) and timeouts are retried with exponential backoff; replies are checked
to be PubMed XML holding the record before they are cached on disk, so a later run needs no
network (full texts are checked, not cached: the workbook stores them). Every failure is an
`NcbiError` with a message for people and an exit status for the command line.

Whatever the server does, a call ends: each public call has one deadline (`DEFAULT_DEADLINE`,
``$REVIEWBOOK_NCBI_DEADLINE``) that its requests, retries and waits share, a ``Retry-After``
is heeded for at most `MAX_RETRY_AFTER` and never past the deadline, and a reply is read in
pieces, each read waiting no longer than the deadline allows, so one that trickles in ends
too. A reply is refused past `MAX_REPLY_BYTES`, and a redirect to another scheme, host or port
is refused (the key is in the address). ``$REVIEWBOOK_EUTILS_URL`` and
``$REVIEWBOOK_IDCONV_URL`` point the client at a mirror or a proxy of the two services.
"""

from __future__ import annotations

import http.client
import io
import json
import math
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from reviewbook.errors import ReadError
from reviewbook.files import write_atomically
from reviewbook.model import Article, is_pmid
from reviewbook.progress import progress
from reviewbook.sources.jats import iter_jats
from reviewbook.sources.pubmed_xml import RECORD_TAGS, parse_pubmed_xml, safe_parser

EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
IDCONV_URL = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
"""NCBI's PMC ID converter: PMIDs, PMCIDs and DOIs of the same article (those in PMC)."""
BATCH_SIZE = 200
"""Most ids one ``efetch`` or ID-converter request carries (NCBI's limit for a GET)."""
IDCONV_TYPES: dict[str, str] = {"doi": "doi", "pmcid": "pmcid", "pmid": "pmid"}
"""Identifier kinds the ID converter is asked about, and their ``idtype``."""
PMCID_PATTERN = re.compile(r"^PMC([1-9][0-9]{0,9})$", re.IGNORECASE)
"""A PMCID as a reader writes it: ``PMC`` in any case, then its number (no leading zero)."""
NOT_REDISTRIBUTED_MARK = b"does not allow downloading of the full text"
"""What PMC writes (in a comment) into an article it sends without its body because the
publisher does not allow the full text to be downloaded."""
RECORD_PMID_PATHS: tuple[str, ...] = ("MedlineCitation/PMID", "BookDocument/PMID")
"""Where a ``PubmedArticle`` or ``PubmedBookArticle`` element holds its PMID."""
TOOL = "reviewbook"
REQUESTS_PER_SECOND = {False: 3.0, True: 10.0}
"""NCBI's limit without (False) and with (True) an API key."""
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses that mean "try again later" rather than "this request is wrong"."""
DEFAULT_PORTS: dict[str, int] = {"http": 80, "https": 443}
"""The port of an address that names none, by scheme: a redirect must keep scheme, host, port."""

# The limits: every call ends, and no reply outgrows what NCBI could send.
DEFAULT_DEADLINE = 30.0
"""Seconds one call (`EutilsClient.fetch_pubmed_xml`, `~EutilsClient.fetch_records`,
`~EutilsClient.convert_ids`, `~EutilsClient.find_pmcid`, `~EutilsClient.fetch_full_text`) may
take in all: requests, retries and waits."""
DEFAULT_TIMEOUT = 20.0
"""Seconds one connection or one read of a reply may wait (less when the deadline is nearer)."""
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
"""Seconds before the first retry; each later retry waits twice as long as the one before."""
MAX_RETRY_AFTER = 10.0
"""Longest wait a ``Retry-After`` header is heeded for; the server is asked again after it."""
MAX_REPLY_BYTES = 64 * 2**20
"""Largest reply read: efetch's reply for a batch of 200 records is a few MB."""
READ_CHUNK_BYTES = 64 * 2**10
"""Most bytes one read of a reply takes, so the deadline and the size cap are checked as it
comes, and memory holds no more than the cap."""

ENVIRONMENT = {
    "api_key": "NCBI_API_KEY",
    "email": "NCBI_EMAIL",
    "cache": "REVIEWBOOK_CACHE",
    "deadline": "REVIEWBOOK_NCBI_DEADLINE",
    "base_url": "REVIEWBOOK_EUTILS_URL",
    "idconv_url": "REVIEWBOOK_IDCONV_URL",
}
"""Environment variables the client reads."""

EXIT_BAD_PMID = 2
"""Exit status for a PMID that is not one (as for other input that cannot be read)."""
EXIT_BAD_REPLY = 65
"""Exit status when NCBI answers, but not with the record or full text asked for (sysexits'
``EX_DATAERR``)."""
EXIT_UNAVAILABLE = 69
"""Exit status when NCBI cannot be reached, keeps failing, or misbehaves: too slow, too large,
elsewhere (sysexits' ``EX_UNAVAILABLE``)."""
EXIT_BAD_SETTING = 78
"""Exit status for a setting of the environment that cannot be used (sysexits' ``EX_CONFIG``)."""


class NcbiError(RuntimeError):
    """NCBI E-utilities could not give the record; ``exit_status`` is for the command line.

    The message is one line whatever a server put in it (a reason phrase may hold a bare
    carriage return): its runs of whitespace are folded into single spaces.
    """

    def __init__(self, message: str, *, exit_status: int = EXIT_UNAVAILABLE) -> None:
        self.exit_status = exit_status
        super().__init__(" ".join(message.split()))


class NoFullText(NcbiError):
    """NCBI answered, and PMC has no full text to give: the article is not in PMC, or PMC may
    not let it be downloaded (`EXIT_BAD_REPLY` unless told otherwise)."""

    def __init__(self, message: str, *, exit_status: int = EXIT_BAD_REPLY) -> None:
        super().__init__(message, exit_status=exit_status)


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

    ``api_key`` and ``email`` default to ``$NCBI_API_KEY`` and ``$NCBI_EMAIL``, ``base_url``
    and ``idconv_url`` to ``$REVIEWBOOK_EUTILS_URL`` and ``$REVIEWBOOK_IDCONV_URL`` (else NCBI's
    own), ``deadline`` to ``$REVIEWBOOK_NCBI_DEADLINE`` (else `DEFAULT_DEADLINE`), all read from
    ``environ`` (``os.environ`` unless given); a setting that cannot be used raises `NcbiError`
    (`EXIT_BAD_SETTING`). ``timeout`` bounds one connection or read, ``max_reply_bytes`` a reply.
    ``cache_dir`` defaults to `default_cache_dir`; ``cache=False`` neither reads nor writes it.
    Requests are spaced by a limiter shared by the whole process, or, when ``clock`` is given
    (tests), by one on that clock and ``sleep``, which also waits out retries; the deadline is
    kept on the same clock.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        idconv_url: str | None = None,
        tool: str = TOOL,
        email: str | None = None,
        api_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        deadline: float | None = None,
        max_reply_bytes: int = MAX_REPLY_BYTES,
        cache: bool = True,
        cache_dir: str | os.PathLike[str] | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        self.base_url = _address_setting("base_url", base_url, environ, EUTILS_URL)
        self.idconv_base = _address_setting("idconv_url", idconv_url, environ, IDCONV_URL)
        self.tool = tool
        self.email = email or environ.get(ENVIRONMENT["email"]) or None
        self.api_key = api_key or environ.get(ENVIRONMENT["api_key"]) or None
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.deadline = _deadline_setting(deadline, environ)
        self.max_reply_bytes = max_reply_bytes
        self.cache_dir = (
            (Path(cache_dir) if cache_dir else default_cache_dir(environ)) if cache else None
        )
        rate = REQUESTS_PER_SECOND[self.api_key is not None]
        self.limiter = shared_limiter(rate) if clock is None else RateLimiter(rate, clock, sleep)
        self.clock = clock or time.monotonic
        self.sleep = sleep

    # public -------------------------------------------------------------------------------

    def fetch_pubmed_xml(self, pmid: str) -> bytes:
        """The PubMed XML of one PMID, from the cache or from ``efetch``."""
        return self._fetch(pmid)[0]

    def fetch_article(self, pmid: str) -> Article:
        """The record of one PMID read into an `Article` (references included)."""
        _, articles = self._fetch(pmid)
        return next(article for article in articles if article.pmid == _checked_pmid(pmid))

    def fetch_records(
        self, pmids: Iterable[str], *, batch_size: int = BATCH_SIZE
    ) -> FetchedRecords:
        """The PubMed XML of many PMIDs, one record each: from the cache, else from ``efetch``
        in batches of at most ``batch_size`` ids.

        Never raises for NCBI's failures: a batch that fails for good (after the retries) puts
        its PMIDs in ``failed`` with the error, and the other batches go on; PMIDs the reply
        leaves out (PubMed has no such record) are ``unknown``. Each record fetched is cached.
        The batches share one deadline: those left when it has passed fail unasked.
        """
        wanted = list(dict.fromkeys(_checked_pmid(pmid) for pmid in pmids))
        records: dict[str, bytes] = {}
        missing: list[str] = []
        for pmid in wanted:
            cached = self._cached_record(pmid)
            if cached is None:
                missing.append(pmid)
            else:
                records[pmid] = cached
        unknown: list[str] = []
        failed: dict[str, NcbiError] = {}
        size = max(1, min(batch_size, BATCH_SIZE))
        starts = range(0, len(missing), size)
        deadline = self._start_deadline()
        for start in progress(starts, what="fetching cited records", unit="batch"):
            batch = missing[start : start + size]
            try:
                found = split_records(
                    self._get(self.efetch_url(batch), deadline),
                    origin=f"{self.base_url}efetch.fcgi",
                )
            except NcbiError as error:
                failed.update(dict.fromkeys(batch, error))
                continue
            for pmid in batch:
                if pmid not in found:
                    unknown.append(pmid)
                    continue
                records[pmid] = found[pmid]
                if (cache := self.cache_path(pmid)) is not None:
                    write_atomically(cache, found[pmid])
        return FetchedRecords(
            {pmid: records[pmid] for pmid in wanted if pmid in records}, tuple(unknown), failed
        )

    def convert_ids(self, ids: Iterable[str]) -> ConvertedIds:
        """What NCBI's PMC ID converter knows of DOIs and PMCIDs, 200 ids a request.

        DOIs and PMCIDs go in separate requests (the converter takes one id type a request).
        Like `fetch_records`, failures are returned in ``failed``, not raised, and the requests
        share one deadline.
        """
        by_type: dict[str, list[str]] = {}
        for identifier in dict.fromkeys(ids):
            by_type.setdefault(id_type(identifier), []).append(identifier)
        replies: list[dict[str, object]] = []
        failed: dict[str, NcbiError] = {}
        deadline = self._start_deadline()
        for kind, identifiers in by_type.items():
            for start in range(0, len(identifiers), BATCH_SIZE):
                batch = identifiers[start : start + BATCH_SIZE]
                try:
                    reply = self._get(
                        self.idconv_url(batch, kind), deadline, service=self._idconv_service
                    )
                    replies.extend(idconv_records(reply, origin=self.idconv_base))
                except NcbiError as error:
                    failed.update(dict.fromkeys(batch, error))
        return ConvertedIds(tuple(replies), failed)

    def find_pmcid(self, pmid: str) -> str | None:
        """The PMCID the PMC ID converter gives a PMID (``PMC`` and its number), or None when
        PMC does not hold the article. Raises `NcbiError` when the converter cannot say."""
        pmid = _checked_pmid(pmid)
        reply = self._get(
            self.idconv_url([pmid], "pmid"), self._start_deadline(), service=self._idconv_service
        )
        for record in idconv_records(reply, origin=self.idconv_base):
            asked = str(record.get("requested-id") or record.get("pmid") or "").strip()
            pmcid = str(record.get("pmcid") or "").strip()
            if asked == pmid and PMCID_PATTERN.match(pmcid):
                return checked_pmcid(pmcid)
        return None

    def fetch_full_text(self, pmcid: str) -> FullText:
        """The PMC full text (JATS XML) of one PMCID from ``efetch``, as sent, and read.

        Raises `NoFullText` when PMC has no such article or sends it without its body (its
        publisher does not allow the download), `NcbiError` for a reply that is no full text.
        """
        pmcid = checked_pmcid(pmcid)
        data = self._get(self.pmc_efetch_url(pmcid), self._start_deadline())
        article = full_text_article(data, pmcid, origin=f"{self.base_url}efetch.fcgi")
        return FullText(pmcid, data, article)

    def efetch_url(self, pmids: str | Sequence[str]) -> str:
        """The ``efetch`` address for one PMID or several, with tool, e-mail and API key."""
        ids = [pmids] if isinstance(pmids, str) else list(pmids)
        return self._efetch_address("pubmed", ",".join(_checked_pmid(pmid) for pmid in ids))

    def pmc_efetch_url(self, pmcid: str) -> str:
        """The ``efetch`` address of a PMCID's full text (PMC takes the number alone)."""
        return self._efetch_address("pmc", checked_pmcid(pmcid).removeprefix("PMC"))

    def _efetch_address(self, database: str, ids: str) -> str:
        params = {"db": database, "id": ids, "retmode": "xml", "tool": self.tool}
        params |= {name: value for name, value in self._identity().items() if value}
        return f"{self.base_url}efetch.fcgi?{urllib.parse.urlencode(params)}"

    def idconv_url(self, ids: Sequence[str], kind: str) -> str:
        """The ID converter's address for ids of one type, asking for JSON."""
        params = {"ids": ",".join(ids), "idtype": IDCONV_TYPES[kind], "format": "json"}
        params |= {"tool": self.tool} | ({"email": self.email} if self.email else {})
        return f"{self.idconv_base}?{urllib.parse.urlencode(params)}"

    def cache_path(self, pmid: str) -> Path | None:
        """Where the XML of a PMID is cached, or None without a cache."""
        if self.cache_dir is None:
            return None
        return self.cache_dir / "efetch" / "pubmed" / f"{_checked_pmid(pmid)}.xml"

    # steps --------------------------------------------------------------------------------

    def _identity(self) -> dict[str, str | None]:
        return {"email": self.email, "api_key": self.api_key}

    def _start_deadline(self) -> Deadline:
        """The deadline of a call starting now."""
        return Deadline(self.deadline, self.clock() + self.deadline, self.clock)

    @property
    def _idconv_service(self) -> str:
        return f"the NCBI PMC ID converter at {self.idconv_base}"

    def _cached_record(self, pmid: str) -> bytes | None:
        """The cached XML of a PMID when it holds that PMID's record, else None."""
        cached = self.cache_path(pmid)
        if cached is None or not cached.is_file():
            return None
        data = cached.read_bytes()
        try:
            _records_of(pmid, data, origin=str(cached))
        except NcbiError:
            return None  # damaged: fetched again and overwritten
        return data

    def _fetch(self, pmid: str) -> tuple[bytes, list[Article]]:
        pmid = _checked_pmid(pmid)
        cached = self.cache_path(pmid)
        if cached is not None and cached.is_file():
            data = cached.read_bytes()
            try:
                return data, _records_of(pmid, data, origin=str(cached))
            except NcbiError:
                pass  # a damaged cache entry is fetched again and overwritten
        data = self._get(self.efetch_url(pmid), self._start_deadline())
        articles = _records_of(pmid, data, origin=f"{self.base_url}efetch.fcgi")
        if cached is not None:
            write_atomically(cached, data)
        return data, articles

    def _get(self, url: str, deadline: Deadline, *, service: str | None = None) -> bytes:
        """The body of a GET before ``deadline``, retrying what may pass; never shows the URL
        (it holds the key)."""
        service = service or f"NCBI E-utilities at {self.base_url}"
        request = urllib.request.Request(url, headers={"User-Agent": f"{self.tool} (Python)"})
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            last_try = attempt == self.retries
            try:
                return self._read(request, deadline, service)
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
                failure = f"HTTP {error.code} {error.reason}"
                asked = _retry_after(error.headers)
                if not asked:  # none, or "now": back off all the same
                    delay = self.backoff * 2**attempt
                else:
                    delay = min(asked, MAX_RETRY_AFTER)
                    failure += f", asked to wait {asked:g} s"
            except (TimeoutError, http.client.HTTPException, ConnectionError) as error:
                if last_try:
                    raise NcbiError(_no_answer(service, error, attempt + 1)) from None
                failure = "no answer in time" if isinstance(error, TimeoutError) else "cut short"
                delay = self.backoff * 2**attempt
            except urllib.error.URLError as error:
                if not isinstance(error.reason, TimeoutError) or last_try:
                    raise NcbiError(
                        f"cannot reach {service} ({error.reason}): check your network"
                    ) from None
                failure = "no answer in time"
                delay = self.backoff * 2**attempt
            if delay >= deadline.left():
                raise deadline.passed(service, failure)
            self.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _read(self, request: urllib.request.Request, deadline: Deadline, service: str) -> bytes:
        """One reply's body, read in pieces: no read waits past ``deadline``, and no more than
        ``max_reply_bytes`` is ever held. Redirects are followed within the same host only."""
        sockets: list[socket.socket] = []
        opener = urllib.request.build_opener(
            _TimedHTTPHandler(sockets), _TimedHTTPSHandler(sockets), _SameOriginRedirects()
        )
        left = deadline.left()
        if left <= 0:
            raise deadline.passed(service, "no time was left to ask")
        try:
            response = opener.open(request, timeout=min(self.timeout, left))
        except _RedirectRefused as refused:
            raise NcbiError(
                f"{service} redirected the request to another host, {refused.target}: refused "
                "(a redirect is followed only to the same scheme, host and port)"
            ) from None
        with response:
            declared = _declared_length(response.headers)
            if declared is not None and declared > self.max_reply_bytes:
                raise self._too_large(service)
            body = bytearray()
            while True:
                left = deadline.left()
                if left <= 0:
                    raise deadline.passed(service, "its reply was still coming")
                if sockets:  # the last one opened: the one a redirect led to
                    sockets[-1].settimeout(min(self.timeout, left))
                piece = response.read1(READ_CHUNK_BYTES)
                if not piece:
                    break
                body += piece
                if len(body) > self.max_reply_bytes:
                    raise self._too_large(service)
        if declared is not None and len(body) < declared:
            raise http.client.IncompleteRead(bytes(body), declared - len(body))
        return bytes(body)

    def _too_large(self, service: str) -> NcbiError:
        return NcbiError(
            f"{service} sent a reply of more than {_size(self.max_reply_bytes)}, far more than "
            f"{BATCH_SIZE} records take: refused"
        )


# --- what a call may take, and where a request may go -------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    """When a whole call must be over, on the client's clock."""

    seconds: float
    ends: float
    clock: Callable[[], float]

    def left(self) -> float:
        """Seconds left; zero or less once the deadline has passed."""
        return self.ends - self.clock()

    def passed(self, service: str, failure: str) -> NcbiError:
        """The error of a call out of time, saying what happened last (``failure``)."""
        return NcbiError(
            f"{service} did not finish within the {self.seconds:g} s deadline ({failure}): "
            f"try again later, or give it longer with {ENVIRONMENT['deadline']}"
        )


class _RedirectRefused(Exception):
    """A redirect to another scheme, host or port; ``target`` is its origin alone."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def _origin(url: str) -> str:
    """``scheme://host:port`` of an address, the port written even when it is the default."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same scheme, host and port: the address holds the API
    key, and another host is not the service asked for."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            fp.close()
            raise _RedirectRefused(_origin(newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _HandsOverSocket:
    """A connection mixin that hands its socket to ``sockets``, so each read can be timed."""

    sock: socket.socket

    def __init__(self, *args: Any, sockets: list[socket.socket], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._sockets = sockets

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._sockets.append(self.sock)


class _TimedHTTPConnection(_HandsOverSocket, http.client.HTTPConnection):
    """An HTTP connection whose socket each read can time."""


class _TimedHTTPSConnection(_HandsOverSocket, http.client.HTTPSConnection):
    """An HTTPS connection whose socket each read can time."""


class _TimedHTTPHandler(urllib.request.HTTPHandler):
    """urllib's HTTP handler, opening `_TimedHTTPConnection`s."""

    def __init__(self, sockets: list[socket.socket]) -> None:
        super().__init__()
        self.sockets = sockets

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TimedHTTPConnection, req, sockets=self.sockets)


class _TimedHTTPSHandler(urllib.request.HTTPSHandler):
    """urllib's HTTPS handler (default certificate checks), opening `_TimedHTTPSConnection`s."""

    def __init__(self, sockets: list[socket.socket]) -> None:
        super().__init__()
        self.sockets = sockets

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TimedHTTPSConnection, req, sockets=self.sockets)


def _declared_length(headers: Mapping[str, str]) -> int | None:
    """The ``Content-Length`` a reply declares, when it declares one."""
    value = (headers.get("Content-Length") or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _size(size: int) -> str:
    return f"{size / 2**20:g} MiB" if size >= 2**20 else f"{size:,} bytes"


# --- settings --------------------------------------------------------------------------------


def _address_setting(key: str, given: str | None, environ: Mapping[str, str], default: str) -> str:
    """A service's base address: ``given``, else the environment's, else ``default``; it must
    be an http(s) address, and is returned ending in a slash."""
    name = ENVIRONMENT[key]
    value = given or environ.get(name) or default
    parts = urllib.parse.urlsplit(value)
    try:
        usable = parts.scheme in DEFAULT_PORTS and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number
        usable = False
    if not usable:
        where = key if given else name
        raise NcbiError(f"{where}={value!r}: not an http(s) address", exit_status=EXIT_BAD_SETTING)
    return value if value.endswith("/") else value + "/"


def _deadline_setting(given: float | None, environ: Mapping[str, str]) -> float:
    """The deadline in seconds: ``given``, else the environment's, else `DEFAULT_DEADLINE`."""
    name = ENVIRONMENT["deadline"]
    value: object = given if given is not None else environ.get(name, "").strip()
    if value == "":
        return DEFAULT_DEADLINE
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except ValueError:
        seconds = math.nan
    if not 0 < seconds < math.inf:
        where = "deadline" if given is not None else name
        raise NcbiError(
            f"{where}={value!r}: not a number of seconds above 0", exit_status=EXIT_BAD_SETTING
        )
    return seconds


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


def checked_pmcid(pmcid: str) -> str:
    """A PMCID as NCBI writes it (``PMC12311175``), from ``pmc12311175`` or ``PMC12311175``;
    raises `NcbiError` (`EXIT_BAD_PMID`) for anything else."""
    text = str(pmcid).strip()
    match = PMCID_PATTERN.match(text)
    if match is None:
        raise NcbiError(
            f"not a PMCID: {pmcid!r} (a PMCID is PMC and 1 to 10 digits)",
            exit_status=EXIT_BAD_PMID,
        )
    return f"PMC{match.group(1)}"


def is_pmcid(text: str) -> bool:
    """Whether ``text`` is a PMCID (``PMC`` in any case, then its number)."""
    return PMCID_PATTERN.match(text.strip()) is not None


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


# --- full texts ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FullText:
    """A PMC full text as `EutilsClient.fetch_full_text` got it: the bytes PMC sent (a
    ``<pmc-articleset>`` of one article) and the article read from them, body included."""

    pmcid: str
    data: bytes
    article: Article


def full_text_article(data: bytes, pmcid: str, *, origin: str) -> Article:
    """The one article of PMC's reply for ``pmcid``, which must have a body to read.

    Raises `NoFullText` when the reply holds no article, or one without a body (the publisher
    does not allow the download, as PMC says in a comment, or the article has none), and
    `NcbiError` (`EXIT_BAD_REPLY`) for a reply that is not one full text of that PMCID.
    """
    try:
        articles = list(
            iter_jats(
                io.BufferedReader(io.BytesIO(data)),  # type: ignore[arg-type]
                source_path=origin,
                sha256=None,
            )
        )
    except ReadError as error:
        raise NcbiError(
            f"NCBI E-utilities sent no PMC full text for {pmcid}: {error.reason}",
            exit_status=EXIT_BAD_REPLY,
        ) from None
    if not articles:
        raise NoFullText(f"PMC has no article {pmcid}")
    if len(articles) > 1:
        raise NcbiError(
            f"NCBI E-utilities sent {len(articles)} articles for {pmcid}, not one",
            exit_status=EXIT_BAD_REPLY,
        )
    article = articles[0]
    if article.pmcid and article.pmcid.upper() != pmcid:
        raise NcbiError(
            f"NCBI E-utilities sent the full text of {article.pmcid} for {pmcid}",
            exit_status=EXIT_BAD_REPLY,
        )
    body = article.body
    if body is None or not (body.sections or body.paragraphs):
        why = (
            "the publisher does not allow it"
            if NOT_REDISTRIBUTED_MARK in data
            else "the article PMC sent has no body"
        )
        raise NoFullText(f"PMC has no full text of {pmcid} to download ({why})")
    return article


# --- many records, and the ID converter ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchedRecords:
    """What `EutilsClient.fetch_records` got: each PMID's own PubMed XML, and what it did not."""

    records: dict[str, bytes]
    """One ``<PubmedArticleSet>`` holding one record, by PMID, in the order asked."""
    unknown: tuple[str, ...] = ()
    """PMIDs efetch left out of its reply: PubMed has no such record."""
    failed: dict[str, NcbiError] = field(default_factory=dict)
    """PMIDs whose batch failed for good, with the error."""


@dataclass(frozen=True, slots=True)
class ConvertedIds:
    """What `EutilsClient.convert_ids` got: the converter's records, and ids it failed to ask."""

    records: tuple[dict[str, object], ...]
    """The converter's JSON records as sent (``requested-id``, ``pmid``, ``pmcid``, ``doi``,
    or ``status: error`` with ``errmsg``)."""
    failed: dict[str, NcbiError] = field(default_factory=dict)


def id_type(identifier: str) -> str:
    """``pmcid`` for ``PMC123``, else ``doi``: the two kinds of reference id the converter is
    asked about (`EutilsClient.find_pmcid` asks about PMIDs)."""
    return "pmcid" if identifier.upper().startswith("PMC") else "doi"


def split_records(data: bytes, *, origin: str) -> dict[str, bytes]:
    """Each record of a PubMed XML reply as its own one-record ``<PubmedArticleSet>``, by PMID.

    Raises `NcbiError` (``EXIT_BAD_REPLY``) when the reply is not PubMed XML.
    """
    try:
        parse_pubmed_xml(data, source_path=origin)  # refuses error replies and other XML
        root = etree.fromstring(data, safe_parser())
    except (ReadError, etree.XMLSyntaxError) as error:
        reason = error.reason if isinstance(error, ReadError) else str(error)
        raise NcbiError(
            f"NCBI E-utilities sent no PubMed XML: {reason}", exit_status=EXIT_BAD_REPLY
        ) from None
    records: dict[str, bytes] = {}
    for element in root.iter(*RECORD_TAGS):
        pmid = next(
            (text.strip() for path in RECORD_PMID_PATHS if (text := element.findtext(path))), ""
        )
        if is_pmid(pmid):
            records.setdefault(pmid, records_set([etree.tostring(element)]))
    return records


def records_set(records: Iterable[bytes]) -> bytes:
    """One ``<PubmedArticleSet>`` document holding the given records, in order.

    Each item is a record element's XML or a whole one-record set (as `split_records` gives).
    """
    parts = []
    for record in records:
        text = record.decode("utf-8")
        if text.lstrip().startswith("<?xml"):
            text = text.split("?>", 1)[1]
        text = text.strip().removeprefix("<PubmedArticleSet>").removesuffix("</PubmedArticleSet>")
        parts.append(text.strip())
    body = "\n".join(parts)
    return f'<?xml version="1.0" ?>\n<PubmedArticleSet>\n{body}\n</PubmedArticleSet>\n'.encode()


def idconv_records(data: bytes, *, origin: str) -> list[dict[str, object]]:
    """The ``records`` of an ID-converter JSON reply; raises `NcbiError` for anything else."""
    try:
        reply = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        reply = None
    if not isinstance(reply, dict) or not isinstance(reply.get("records"), list):
        status = reply.get("status") if isinstance(reply, dict) else None
        message = reply.get("message") if isinstance(reply, dict) else None
        why = f": {status} {message}" if status or message else ""
        raise NcbiError(
            f"the PMC ID converter at {origin} sent no records{why}", exit_status=EXIT_BAD_REPLY
        )
    return [record for record in reply["records"] if isinstance(record, dict)]
