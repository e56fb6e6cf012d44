"""The E-utilities client against a fake efetch server on 127.0.0.1, clock and sleep injected.

The fake serves PubMed XML in efetch's schema for known PMIDs and misbehaves on purpose for
others: busy (429, once or for good), failing (5xx), slow, stalled or dripping a byte at a time,
garbled, empty, far too large, redirecting. A request for several PMIDs (a batch) gets one set
holding the record of each, leaving out those PubMed lacks, and misbehaves when the batch holds
one of the misbehaving PMIDs; ``every_request`` makes every request misbehave as one of them.
A batch's records, and the record of a PMID starting with 9, are cited works with authors,
title, journal and identifiers (`cited_record`). The fake also answers as NCBI's PMC ID
converter (`IDCONV_PATH`), in its JSON shape, for DOIs, PMCIDs and PMIDs (`FakeEutils.pmcids`),
and as efetch of PMC full texts (``db=pmc``): the JATS documents of `FakeEutils.full_texts`, else
the real ones of ``../shared/fulltext/`` named for their PMCID, wrapped in a ``<pmc-articleset>``
as PMC sends them (`pmc_efetch_xml`). Time is a fake clock that moves only when the
client sleeps, so rate spacing and backoff are asserted exactly, never by wall clock; only the
tests of a reply that keeps coming use the real clock, and assert no more than a generous bound
on what the deadline bounds.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
import tracemalloc
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reviewbook.sources.ncbi import (
    BATCH_SIZE,
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    EUTILS_URL,
    EXIT_BAD_PMID,
    EXIT_BAD_REPLY,
    EXIT_BAD_SETTING,
    EXIT_UNAVAILABLE,
    IDCONV_URL,
    MAX_REPLY_BYTES,
    MAX_RETRY_AFTER,
    EutilsClient,
    NcbiError,
    NoFullText,
    RateLimiter,
    checked_pmcid,
    default_cache_dir,
    records_set,
    split_records,
)
from tests.conftest import TEST_DATA
from tests.sources.test_jats import FULLTEXT

JANSSEN_XML = (TEST_DATA / "pubmed_29037250_reference_list.xml").read_bytes()
EMAIL = "reader@example.org"

BUSY_ONCE, FAILING, FAILING_ONCE, SLOW = "11111111", "22222222", "77777777", "33333333"
GARBLED, MISSING, BAD_REQUEST = "44444444", "55555555", "66666666"
BUSY_FOR_GOOD, DRIPPING, STALLED = "13131313", "14141414", "15151515"
HUGE_DECLARED, HUGE_STREAMED = "16161616", "17171717"
REDIRECTED_AWAY, REDIRECTED_HOME = "18181818", "19191919"
STREAMED_BYTES = MAX_REPLY_BYTES + 2**20
"""How much `HUGE_STREAMED` sends, with no ``Content-Length``: more than the default cap."""
HUGE_DECLARED_BYTES = 2**30
"""The ``Content-Length`` `HUGE_DECLARED` announces (it sends zeros until the client hangs up)."""
ZEROS = bytes(2**20)
EFETCH_PATHS = ("/entrez/eutils/efetch.fcgi", "/moved/efetch.fcgi")
"""Where the fake answers as efetch: its own address, and where `REDIRECTED_HOME` sends."""
IDCONV_PATH = "/tools/idconv/api/v1/articles/"
CONVERSIONS: dict[str, dict[str, object]] = {
    "10.1038/nrc865": {"pmcid": "PMC9000865", "pmid": 9000865, "doi": "10.1038/nrc865"},
    "PMC9000333": {"pmcid": "PMC9000333", "pmid": 9000333, "doi": "10.1000/nine.333"},
}
"""What the fake ID converter knows, by requested id (pmid a number, as the converter sends)."""
JATS = TEST_DATA / "jats"
JANSSEN_STAND_IN = JATS / "janssen2017_stand_in.xml"
"""A hand-made stand-in for the full text of the seed review PMID 29037250 (PMC5644253): the
review's front matter and first five references, a body of two paragraphs of ours."""
NO_BODY = JATS / "no_body_publisher_does_not_allow.xml"
"""PMC's reply, hand-made, for an article it may not redistribute: PMID 10000061, PMC9000061,
front matter and references, no body, the publisher's refusal in a comment."""
PMCIDS: dict[str, str] = {
    "29037250": "PMC5644253",
    "41032705": "PMC12599256",
    "40739089": "PMC12311175",
    "10000061": "PMC9000061",
}
"""The PMCIDs the fake ID converter gives PMIDs (unless a test gives it others)."""
FULL_TEXTS: dict[str, Path] = {"PMC5644253": JANSSEN_STAND_IN, "PMC9000061": NO_BODY}
"""The JATS documents the fake efetch serves, by PMCID, besides the shared real ones."""
PMC_DOCTYPE = (
    '<!DOCTYPE pmc-articleset PUBLIC "-//NLM//DTD ARTICLE SET 2.0//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pmc/articleset/nlm-articleset-2.0.dtd">\n'
)
_PROLOGUE = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?")
DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)


def cited_record(pmid: str) -> str:
    """A cited work's ``<PubmedArticle>``: two authors, title, journal, date, pages, DOI."""
    return (
        "<PubmedArticle>"
        f'<MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>12'
        "</Volume><Issue>3</Issue><PubDate><Year>2015</Year><Month>Jan</Month></PubDate>"
        "</JournalIssue><Title>Journal of tests</Title><ISOAbbreviation>J Tests"
        f"</ISOAbbreviation></Journal><ArticleTitle>Cited work {pmid}.</ArticleTitle>"
        "<Pagination><MedlinePgn>250-9</MedlinePgn></Pagination>"
        '<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Lindqvist</LastName>'
        "<ForeName>Anna</ForeName><Initials>A</Initials></Author>"
        '<Author ValidYN="Y"><LastName>Osei</LastName><ForeName>Kwame B</ForeName>'
        "<Initials>KB</Initials></Author></AuthorList></Article>"
        "<MedlineJournalInfo><MedlineTA>J Tests</MedlineTA></MedlineJournalInfo>"
        "</MedlineCitation>"
        f'<PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId>'
        f'<ArticleId IdType="doi">10.1000/nine.{pmid[-3:]}</ArticleId></ArticleIdList>'
        "</PubmedData></PubmedArticle>"
    )


def batch_xml(pmids: list[str]) -> bytes:
    """efetch's reply for several PMIDs: one set, the records it has, in the order asked."""
    records = "".join(cited_record(pmid) for pmid in pmids if pmid != MISSING)
    return (
        f'<?xml version="1.0" ?>\n{DOCTYPE}<PubmedArticleSet>{records}</PubmedArticleSet>\n'
    ).encode()


def idconv_json(ids: list[str], known: dict[str, dict[str, object]] | None = None) -> bytes:
    """The ID converter's JSON reply: one record per id, an error record for ids it lacks
    (``known``, by requested id; `CONVERSIONS` by default)."""
    known = CONVERSIONS if known is None else known
    records = [
        {"requested-id": identifier, **known[identifier]}
        if identifier in known
        else {
            "requested-id": identifier,
            "status": "error",
            "errmsg": "Identifier not found in PMC",
        }
        for identifier in ids
    ]
    reply = {
        "status": "ok",
        "responseDate": "2026-11-30 15:58:00",
        "request": {"format": "json", "ids": ids, "echo": f"ids={','.join(ids)};format=json"},
        "records": records,
    }
    return json.dumps(reply).encode()


def pmc_efetch_xml(document: bytes) -> bytes:
    """efetch's reply (``db=pmc``) holding the article of a JATS document: the document with
    its XML declaration and DOCTYPE replaced by those of a ``<pmc-articleset>`` around it; a
    document that is a set already is sent as it is."""
    if b"<pmc-articleset" in document[:1024]:
        return document
    article = _PROLOGUE.sub(b"", document, count=1).rstrip()
    return (
        b'<?xml version="1.0" ?>\n'
        + PMC_DOCTYPE.encode()
        + b"<pmc-articleset>"
        + article
        + b"</pmc-articleset>\n"
    )


EMPTY_ARTICLESET = (
    f'<?xml version="1.0" ?>\n{PMC_DOCTYPE}<pmc-articleset></pmc-articleset>\n'.encode()
)
"""What the fake efetch sends for a PMCID it has no article of: a set of none."""


def record_xml(pmid: str) -> bytes:
    """A minimal efetch reply for one PMID, in the PubMed DTD's structure."""
    return (
        '<?xml version="1.0" ?>\n'
        '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
        "<PubmedArticleSet><PubmedArticle>"
        f'<MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        '<Article PubModel="Print"><ArticleTitle>Record '
        f"{pmid}.</ArticleTitle></Article></MedlineCitation>"
        f'<PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId>'
        "</ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>\n"
    ).encode()


Body = bytes | Iterable[bytes]
"""A reply's body: bytes sent with their ``Content-Length``, or pieces streamed one by one."""


@dataclass
class FakeEutils:
    """What the fake server saw, and the switch that lets a slow reply finish."""

    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    base_url: str = ""
    every_request: str | None = None
    """A misbehaving PMID: every request, efetch or ID converter, is answered as its efetch."""
    redirect_to: str = ""
    """Where `REDIRECTED_AWAY` sends the client."""
    pmcids: dict[str, str] = field(default_factory=lambda: dict(PMCIDS))
    """The PMCID the ID converter gives each PMID it knows."""
    full_texts: dict[str, bytes] = field(
        default_factory=lambda: {pmcid: path.read_bytes() for pmcid, path in FULL_TEXTS.items()}
    )
    """The JATS document efetch (``db=pmc``) sends of each PMCID, before the shared files."""

    def reply(self, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], Body]:
        if self.every_request:
            return self.misbehave(self.every_request, params)
        if path == IDCONV_PATH:
            known = CONVERSIONS | {
                pmid: {"pmcid": pmcid, "pmid": int(pmid)} for pmid, pmcid in self.pmcids.items()
            }
            reply = idconv_json(params["ids"].split(","), known)
            return 200, {"Content-Type": "application/json"}, reply
        if path not in EFETCH_PATHS:
            return 404, {}, b"Not Found"
        if params.get("db") == "pmc":
            return 200, {}, self.pmc_reply(f"PMC{params.get('id', '')}")
        pmid = params.get("id", "")
        pmids = pmid.split(",")
        seen = sum(1 for _, earlier in self.requests if earlier.get("id") == pmid)
        if BUSY_ONCE in pmids and seen == 1:
            return 429, {"Retry-After": "2"}, b'{"error":"API rate limit exceeded"}'
        misbehaving = next((pmid for pmid in pmids if pmid in MISBEHAVIOURS), None)
        if misbehaving and path == EFETCH_PATHS[0]:
            return self.misbehave(misbehaving, params)
        if FAILING in pmids or (FAILING_ONCE in pmids and seen == 1):
            return 503, {}, b"<html><body>Service Unavailable</body></html>"
        if SLOW in pmids:
            self.release.wait(10)
        if GARBLED in pmids:
            return 200, {}, b"<html><body>Oops, something went wrong</html>"
        if BAD_REQUEST in pmids:
            return 400, {}, b'{"error":"Invalid API key"}'
        if len(pmids) > 1 or pmid.startswith("9"):
            return 200, {}, batch_xml(pmids)
        if pmid == MISSING:
            return 200, {}, b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
        return 200, {}, JANSSEN_XML if pmid == "29037250" else record_xml(pmid)

    def pmc_reply(self, pmcid: str) -> bytes:
        """What efetch (``db=pmc``) sends for a PMCID: its full text in a set, else a set of
        no article."""
        document = self.full_texts.get(pmcid)
        shared = FULLTEXT / f"{pmcid}.nxml"
        if document is None and shared.is_file():
            document = shared.read_bytes()
        return EMPTY_ARTICLESET if document is None else pmc_efetch_xml(document)

    def misbehave(self, pmid: str, params: dict[str, str]) -> tuple[int, dict[str, str], Body]:
        """The reply of a server that is busy for good, too slow, too large or elsewhere."""
        if pmid == BUSY_FOR_GOOD:
            return 429, {"Retry-After": "3600"}, b'{"error":"API rate limit exceeded"}'
        if pmid == DRIPPING:
            return 200, {"Content-Length": "1000"}, self.drip()
        if pmid == STALLED:
            return 200, {"Content-Length": "1000"}, self.stall()
        if pmid == HUGE_DECLARED:
            return 200, {"Content-Length": str(HUGE_DECLARED_BYTES)}, self.zeros(2**30)
        if pmid == HUGE_STREAMED:
            return 200, {}, self.zeros(STREAMED_BYTES)
        if pmid == REDIRECTED_AWAY:
            return 302, {"Location": self.redirect_to}, b""
        query = urllib.parse.urlencode(params)
        return 301, {"Location": f"/moved/efetch.fcgi?{query}"}, b""

    def drip(self) -> Iterator[bytes]:
        """The opening of a record, then a byte every fifth of a second, until released."""
        yield b'<?xml version="1.0" ?>\n'
        while not self.release.wait(0.2):
            yield b" "

    def stall(self) -> Iterator[bytes]:
        """The opening of a record, then nothing, until released (or 90 s have passed)."""
        yield b'<?xml version="1.0" ?>\n'
        self.release.wait(90)

    def zeros(self, size: int) -> Iterator[bytes]:
        """``size`` zero bytes in pieces, until released: the same piece each time, so the
        fake allocates nothing that a trace of the client's memory would count."""
        for _ in range(size // len(ZEROS)):
            if self.release.is_set():
                return
            yield ZEROS


MISBEHAVIOURS = frozenset(
    {
        BUSY_FOR_GOOD,
        DRIPPING,
        STALLED,
        HUGE_DECLARED,
        HUGE_STREAMED,
        REDIRECTED_AWAY,
        REDIRECTED_HOME,
    }
)
"""PMIDs whose efetch `FakeEutils.misbehave` answers."""


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that timed out has gone; the fake need not say so."""


@contextlib.contextmanager
def serving_fake_eutils() -> Iterator[FakeEutils]:
    """The fake E-utilities and ID converter on 127.0.0.1 while the block runs."""
    fake = FakeEutils()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(url.query))
            fake.requests.append((url.path, params))
            status, headers, body = fake.reply(url.path, params)
            self.send_response(status)
            if isinstance(body, bytes):
                headers = {"Content-Length": str(len(body)), **headers}
            for name, value in {"Content-Type": "text/xml", **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            for piece in [body] if isinstance(body, bytes) else body:
                self.wfile.write(piece)
                self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/entrez/eutils/"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def eutils() -> Iterator[FakeEutils]:
    with serving_fake_eutils() as fake:
        yield fake


@dataclass
class FakeTime:
    """A monotonic clock that advances only when someone sleeps."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def client_for(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path, **options: object
) -> EutilsClient:
    settings: dict[str, object] = {
        "base_url": eutils.base_url,
        "idconv_url": eutils.base_url.replace("/entrez/eutils/", IDCONV_PATH),
        "email": EMAIL,
        "cache_dir": tmp_path / "cache",
        "clock": fake_time.clock,
        "sleep": fake_time.sleep,
        "environ": {},
        "timeout": 5.0,
    }
    return EutilsClient(**(settings | options))  # type: ignore[arg-type]


# --- requests -----------------------------------------------------------------------------------


def test_efetch_request_names_database_record_format_tool_and_email(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    data = client_for(eutils, fake_time, tmp_path).fetch_pubmed_xml("29037250")
    assert data == JANSSEN_XML
    assert eutils.requests == [
        (
            "/entrez/eutils/efetch.fcgi",
            {
                "db": "pubmed",
                "id": "29037250",
                "retmode": "xml",
                "tool": "reviewbook",
                "email": EMAIL,
            },
        )
    ]


def test_api_key_comes_from_the_environment(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    environ = {"NCBI_API_KEY": "k3y", "NCBI_EMAIL": "env@example.org"}
    client = client_for(eutils, fake_time, tmp_path, environ=environ, email=None)
    client.fetch_pubmed_xml("29037250")
    [(_, params)] = eutils.requests
    assert (params["api_key"], params["email"]) == ("k3y", "env@example.org")


def test_fetched_article_has_the_full_reference_list(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    article = client_for(eutils, fake_time, tmp_path).fetch_article("29037250")
    assert (article.pmid, len(article.references)) == ("29037250", 9)
    assert article.references[0].pmid == "16056258"


# --- rate limiting ------------------------------------------------------------------------------


def test_without_a_key_requests_are_a_third_of_a_second_apart(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path, cache=False)
    for pmid in ("1", "2", "3", "4"):
        client.fetch_pubmed_xml(pmid)
    assert fake_time.sleeps == pytest.approx([1 / 3] * 3)
    assert fake_time.now == pytest.approx(1.0)


def test_with_a_key_requests_are_a_tenth_of_a_second_apart(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path, cache=False, api_key="k3y")
    for pmid in ("1", "2", "3"):
        client.fetch_pubmed_xml(pmid)
    assert fake_time.sleeps == pytest.approx([0.1, 0.1])


def test_limiter_waits_only_for_what_is_left_of_the_interval(fake_time: FakeTime) -> None:
    limiter = RateLimiter(4, clock=fake_time.clock, sleep=fake_time.sleep)
    limiter.wait()
    fake_time.now += 0.1
    limiter.wait()
    fake_time.now += 1.0
    limiter.wait()
    assert fake_time.sleeps == pytest.approx([0.15])


def test_clients_without_a_clock_share_one_limiter_per_rate() -> None:
    first, second = EutilsClient(environ={}), EutilsClient(environ={})
    keyed = EutilsClient(environ={"NCBI_API_KEY": "k"})
    assert first.limiter is second.limiter
    assert (first.limiter.per_second, keyed.limiter.per_second) == (3.0, 10.0)


# --- retries and failures -----------------------------------------------------------------------


def test_busy_server_is_retried_after_the_time_it_asks_for(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    data = client_for(eutils, fake_time, tmp_path).fetch_pubmed_xml(BUSY_ONCE)
    assert b"Record 11111111." in data
    assert len(eutils.requests) == 2
    assert fake_time.sleeps == [2.0]


def test_server_error_is_retried_with_backoff(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client_for(eutils, fake_time, tmp_path).fetch_pubmed_xml(FAILING_ONCE)
    assert len(eutils.requests) == 2
    assert fake_time.sleeps == [0.5]


def test_failing_server_gives_up_after_the_retries_with_doubling_waits(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path, api_key="s3cret")
    with pytest.raises(NcbiError) as raised:
        client.fetch_pubmed_xml(FAILING)
    assert str(raised.value) == (
        f"NCBI E-utilities at {eutils.base_url} kept failing: HTTP 503 Service Unavailable "
        "after 4 attempts; try again later"
    )
    assert raised.value.exit_status == EXIT_UNAVAILABLE
    assert len(eutils.requests) == 4
    assert fake_time.sleeps == [0.5, 1.0, 2.0]
    assert "s3cret" not in str(raised.value)


def test_slow_reply_times_out_and_is_retried(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path, timeout=0.2, retries=1)
    with pytest.raises(NcbiError, match="did not answer in time after 2 attempts") as raised:
        client.fetch_pubmed_xml(SLOW)
    assert raised.value.exit_status == EXIT_UNAVAILABLE
    assert len(eutils.requests) == 2
    assert fake_time.sleeps == [0.5]


def test_unreachable_server_fails_at_once_with_a_network_hint(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{closed_port}/entrez/eutils/"
    client = EutilsClient(
        base_url=base_url,
        cache=False,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        environ={},
    )
    with pytest.raises(NcbiError, match=r"check your network$") as raised:
        client.fetch_pubmed_xml("29037250")
    assert str(raised.value).startswith(f"cannot reach NCBI E-utilities at {base_url} (")
    assert raised.value.exit_status == EXIT_UNAVAILABLE
    assert fake_time.sleeps == []


@pytest.mark.parametrize(
    ("pmid", "message"),
    [
        (GARBLED, "NCBI E-utilities sent no PubMed XML for PMID 44444444: not well-formed XML"),
        (MISSING, "PubMed has no record for PMID 55555555"),
        (BAD_REQUEST, "refused the request: HTTP 400 Bad Request"),
    ],
)
def test_replies_without_the_record_are_errors_not_retried(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path, pmid: str, message: str
) -> None:
    client = client_for(eutils, fake_time, tmp_path)
    with pytest.raises(NcbiError, match=message) as raised:
        client.fetch_pubmed_xml(pmid)
    assert raised.value.exit_status == EXIT_BAD_REPLY
    assert len(eutils.requests) == 1
    assert not (tmp_path / "cache" / "efetch" / "pubmed" / f"{pmid}.xml").exists()


def test_an_error_is_one_line_whatever_the_server_said() -> None:
    error = NcbiError("NCBI refused the request: HTTP 400 Bad\rRequest\n\u2028now  ")
    assert str(error) == "NCBI refused the request: HTTP 400 Bad Request now"


@pytest.mark.parametrize("pmid", ["abc", "", "0123", "1234567890", "1 OR 2"])
def test_text_that_is_not_a_pmid_is_refused_before_any_request(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path, pmid: str
) -> None:
    with pytest.raises(NcbiError, match="not a PMID") as raised:
        client_for(eutils, fake_time, tmp_path).fetch_pubmed_xml(pmid)
    assert raised.value.exit_status == EXIT_BAD_PMID
    assert eutils.requests == []


# --- cache --------------------------------------------------------------------------------------


def test_second_fetch_is_served_from_the_disk_cache(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path)
    first = client.fetch_pubmed_xml("29037250")
    second = client_for(eutils, fake_time, tmp_path).fetch_pubmed_xml("29037250")
    assert first == second == JANSSEN_XML
    assert len(eutils.requests) == 1
    assert (tmp_path / "cache" / "efetch" / "pubmed" / "29037250.xml").read_bytes() == first


def test_damaged_cache_entry_is_fetched_again(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path)
    cached = client.cache_path("29037250")
    assert cached is not None
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"<PubmedArticleSet><Pubmed")
    assert client.fetch_pubmed_xml("29037250") == JANSSEN_XML
    assert cached.read_bytes() == JANSSEN_XML


def test_without_cache_nothing_is_written(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path, cache=False)
    client.fetch_pubmed_xml("29037250")
    client.fetch_pubmed_xml("29037250")
    assert (client.cache_path("29037250"), len(eutils.requests)) == (None, 2)
    assert not (tmp_path / "cache").exists()


def test_cache_folder_comes_from_the_environment(tmp_path: Path) -> None:
    assert default_cache_dir({"REVIEWBOOK_CACHE": str(tmp_path)}) == tmp_path
    assert default_cache_dir({}) == Path.home() / ".cache" / "reviewbook"


# --- many records at once -----------------------------------------------------------------------


def cited_pmids(count: int) -> list[str]:
    return [str(9_000_000 + number) for number in range(1, count + 1)]


def test_450_pmids_are_fetched_in_3_batches_of_at_most_200_and_cached_one_by_one(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    pmids = cited_pmids(450)
    fetched = client_for(eutils, fake_time, tmp_path).fetch_records(pmids)
    assert [len(params["id"].split(",")) for _, params in eutils.requests] == [200, 200, 50]
    assert list(fetched.records) == pmids
    assert (fetched.unknown, fetched.failed) == ((), {})
    assert fake_time.sleeps == pytest.approx([1 / 3] * 2)
    again = client_for(eutils, fake_time, tmp_path).fetch_records(pmids[:3])
    assert (len(eutils.requests), again.records) == (
        3,
        {pmid: fetched.records[pmid] for pmid in pmids[:3]},
    )
    assert BATCH_SIZE == 200


def test_each_fetched_record_reads_as_its_own_pubmed_xml(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    fetched = client_for(eutils, fake_time, tmp_path).fetch_records(["9000001", "9000002"])
    [record] = split_records(fetched.records["9000002"], origin="test").values()
    assert record == fetched.records["9000002"]
    assert b"<Title>Journal of tests</Title>" in record
    both = records_set(fetched.records.values())
    assert list(split_records(both, origin="test")) == ["9000001", "9000002"]


def test_pmids_pubmed_lacks_are_left_out_of_the_reply_and_named_unknown(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    fetched = client_for(eutils, fake_time, tmp_path).fetch_records(["9000001", MISSING, "9000002"])
    assert (list(fetched.records), fetched.unknown, fetched.failed) == (
        ["9000001", "9000002"],
        (MISSING,),
        {},
    )


def test_a_batch_failing_once_is_retried_and_the_others_are_not_asked_again(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    pmids = [*cited_pmids(3), FAILING_ONCE]
    fetched = client_for(eutils, fake_time, tmp_path).fetch_records(pmids, batch_size=2)
    assert [params["id"] for _, params in eutils.requests] == [
        "9000001,9000002",
        f"9000003,{FAILING_ONCE}",
        f"9000003,{FAILING_ONCE}",
    ]
    assert (list(fetched.records), fetched.failed) == (pmids, {})
    assert fake_time.sleeps == pytest.approx([1 / 3, 0.5])


def test_a_batch_failing_for_good_leaves_its_pmids_failed_and_the_others_fetched(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    pmids = [*cited_pmids(2), FAILING, "9000009"]
    client = client_for(eutils, fake_time, tmp_path, retries=1)
    fetched = client.fetch_records(pmids, batch_size=2)
    assert list(fetched.records) == ["9000001", "9000002"]
    assert sorted(fetched.failed) == sorted([FAILING, "9000009"])
    error = fetched.failed[FAILING]
    assert (error.exit_status, str(error)) == (
        EXIT_UNAVAILABLE,
        f"NCBI E-utilities at {eutils.base_url} kept failing: HTTP 503 Service Unavailable "
        "after 2 attempts; try again later",
    )


def test_a_busy_batch_waits_as_long_as_retry_after_says(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    fetched = client_for(eutils, fake_time, tmp_path).fetch_records(["9000001", BUSY_ONCE])
    assert (len(eutils.requests), list(fetched.records)) == (2, ["9000001", BUSY_ONCE])
    assert fake_time.sleeps == [2.0]


def test_a_garbled_batch_reply_fails_that_batch_as_a_bad_reply(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    fetched = client_for(eutils, fake_time, tmp_path).fetch_records(["9000001", GARBLED])
    assert fetched.records == {}
    assert fetched.failed[GARBLED].exit_status == EXIT_BAD_REPLY


# --- the ID converter ---------------------------------------------------------------------------


def test_ids_are_converted_by_type_with_tool_and_email(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path)
    converted = client.convert_ids(["10.1038/nrc865", "PMC9000333", "10.9/unknown"])
    assert [(path, params) for path, params in eutils.requests] == [
        (
            IDCONV_PATH,
            {
                "ids": "10.1038/nrc865,10.9/unknown",
                "idtype": "doi",
                "format": "json",
                "tool": "reviewbook",
                "email": EMAIL,
            },
        ),
        (
            IDCONV_PATH,
            {
                "ids": "PMC9000333",
                "idtype": "pmcid",
                "format": "json",
                "tool": "reviewbook",
                "email": EMAIL,
            },
        ),
    ]
    assert [record.get("pmid") for record in converted.records] == [9000865, None, 9000333]
    assert converted.records[1]["errmsg"] == "Identifier not found in PMC"
    assert converted.failed == {}


# --- PMC full texts ----------------------------------------------------------------------------


def test_a_pmid_s_pmcid_comes_from_the_converter_asked_by_pmid(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    client = client_for(eutils, fake_time, tmp_path)
    assert client.find_pmcid("41032705") == "PMC12599256"
    assert client.find_pmcid("12345678") is None  # the converter's error record: not in PMC
    assert eutils.requests[0] == (
        IDCONV_PATH,
        {
            "ids": "41032705",
            "idtype": "pmid",
            "format": "json",
            "tool": "reviewbook",
            "email": EMAIL,
        },
    )


def test_a_full_text_is_fetched_by_the_number_of_its_pmcid_and_kept_as_sent(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    found = client_for(eutils, fake_time, tmp_path).fetch_full_text("pmc5644253")
    assert eutils.requests == [
        (
            "/entrez/eutils/efetch.fcgi",
            {
                "db": "pmc",
                "id": "5644253",
                "retmode": "xml",
                "tool": "reviewbook",
                "email": EMAIL,
            },
        )
    ]
    assert found.data == eutils.pmc_reply("PMC5644253")
    assert found.data.startswith(b'<?xml version="1.0" ?>\n<!DOCTYPE pmc-articleset PUBLIC')
    assert (found.pmcid, found.article.pmid, found.article.pmcid) == (
        "PMC5644253",
        "29037250",
        "PMC5644253",
    )
    assert [section.title for section in found.article.body.walk()] == [  # type: ignore[union-attr]
        "Background",
        "The metastatic cascade",
    ]
    assert not (tmp_path / "cache").exists()  # the workbook stores full texts, not the cache


def test_a_full_text_pmc_sends_without_its_body_is_no_full_text(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    with pytest.raises(NoFullText) as raised:
        client_for(eutils, fake_time, tmp_path).fetch_full_text("PMC9000061")
    assert str(raised.value) == (
        "PMC has no full text of PMC9000061 to download (the publisher does not allow it)"
    )
    assert raised.value.exit_status == EXIT_BAD_REPLY


def test_an_article_without_a_body_and_without_the_publishers_word_is_no_full_text(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    eutils.full_texts["PMC9000061"] = NO_BODY.read_bytes().replace(b"does not allow", b"may")
    with pytest.raises(NoFullText) as raised:
        client_for(eutils, fake_time, tmp_path).fetch_full_text("PMC9000061")
    assert str(raised.value) == (
        "PMC has no full text of PMC9000061 to download (the article PMC sent has no body)"
    )


def test_a_pmcid_pmc_has_no_article_of_is_no_full_text(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    with pytest.raises(NoFullText, match=r"^PMC has no article PMC9999999$"):
        client_for(eutils, fake_time, tmp_path).fetch_full_text("PMC9999999")


def test_the_full_text_of_another_article_is_a_bad_reply(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    eutils.full_texts["PMC1"] = JANSSEN_STAND_IN.read_bytes()
    with pytest.raises(NcbiError) as raised:
        client_for(eutils, fake_time, tmp_path).fetch_full_text("PMC1")
    assert str(raised.value) == ("NCBI E-utilities sent the full text of PMC5644253 for PMC1")
    assert raised.value.exit_status == EXIT_BAD_REPLY


def test_a_reply_that_is_not_jats_is_a_bad_reply(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    eutils.full_texts["PMC2"] = b"<pmc-articleset><article><front>cut short"
    with pytest.raises(NcbiError) as raised:
        client_for(eutils, fake_time, tmp_path).fetch_full_text("PMC2")
    assert str(raised.value).startswith("NCBI E-utilities sent no PMC full text for PMC2: ")
    assert raised.value.exit_status == EXIT_BAD_REPLY


@pytest.mark.parametrize("pmcid", ["12599256", "PMC", "PMC012599256", "PMC12a", "PMC 1"])
def test_text_that_is_not_a_pmcid_is_refused_before_any_request(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path, pmcid: str
) -> None:
    with pytest.raises(NcbiError, match="not a PMCID") as raised:
        client_for(eutils, fake_time, tmp_path).fetch_full_text(pmcid)
    assert (raised.value.exit_status, eutils.requests) == (EXIT_BAD_PMID, [])
    assert checked_pmcid(" pmc12599256 ") == "PMC12599256"


@pytest.mark.parametrize("misbehaving", [HUGE_DECLARED, REDIRECTED_AWAY, BUSY_FOR_GOOD])
def test_full_text_calls_keep_the_clients_limits(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path, misbehaving: str
) -> None:
    """The converter and efetch of PMC go through the one request path: the size cap, the
    same-host rule for redirects and the deadline hold for them as for PubMed records."""
    eutils.every_request = misbehaving
    eutils.redirect_to = other_hosts(eutils)[0]
    client = client_for(eutils, fake_time, tmp_path, deadline=5.0)
    why = {
        HUGE_DECLARED: "sent a reply of more than 64 MiB",
        REDIRECTED_AWAY: "redirected the request to another host, http://localhost:",
        BUSY_FOR_GOOD: "did not finish within the 5 s deadline (HTTP 429",
    }[misbehaving]
    efetch = f"NCBI E-utilities at {eutils.base_url}"
    idconv = f"the NCBI PMC ID converter at {client.idconv_base}"
    for call, service in [
        (lambda: client.fetch_full_text("PMC12599256"), efetch),
        (lambda: client.find_pmcid("41032705"), idconv),
    ]:
        with pytest.raises(NcbiError) as raised:
            call()
        assert str(raised.value).startswith(f"{service} {why}")
        assert raised.value.exit_status == EXIT_UNAVAILABLE


# --- the deadline, the size cap, redirects ------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "waits", "message"),
    [
        (5.0, [], "did not finish within the 5 s deadline (HTTP 429 Too Many Requests, asked to "
         "wait 3600 s): try again later, or give it longer with REVIEWBOOK_NCBI_DEADLINE"),
        (30.0, [MAX_RETRY_AFTER] * 2, "did not finish within the 30 s deadline (HTTP 429 Too "
         "Many Requests, asked to wait 3600 s): try again later, or give it longer with "
         "REVIEWBOOK_NCBI_DEADLINE"),
        (100.0, [MAX_RETRY_AFTER] * 3, "kept failing: HTTP 429 Too Many Requests after 4 "
         "attempts; try again later"),
    ],
)  # fmt: skip
def test_retry_after_is_cut_to_the_longest_wait_and_never_waited_past_the_deadline(
    eutils: FakeEutils,
    fake_time: FakeTime,
    tmp_path: Path,
    deadline: float,
    waits: list[float],
    message: str,
) -> None:
    client = client_for(eutils, fake_time, tmp_path, deadline=deadline)
    with pytest.raises(NcbiError) as raised:
        client.fetch_pubmed_xml(BUSY_FOR_GOOD)
    assert str(raised.value) == f"NCBI E-utilities at {eutils.base_url} {message}"
    assert raised.value.exit_status == EXIT_UNAVAILABLE
    assert (fake_time.sleeps, len(eutils.requests)) == (waits, len(waits) + 1)
    assert fake_time.now < deadline


def test_one_deadline_spans_every_batch_of_a_call(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    pmids = ["9000001", "9000002", BUSY_FOR_GOOD, "9000003", "9000004"]
    client = client_for(eutils, fake_time, tmp_path, deadline=10.5)
    fetched = client.fetch_records(pmids, batch_size=2)
    assert list(fetched.records) == ["9000001", "9000002"]
    assert list(fetched.failed) == [BUSY_FOR_GOOD, "9000003", "9000004"]
    assert [params["id"] for _, params in eutils.requests] == [
        "9000001,9000002",
        f"{BUSY_FOR_GOOD},9000003",
        f"{BUSY_FOR_GOOD},9000003",
    ]  # the last batch is never asked: the call's 10.5 s were spent
    assert str(fetched.failed["9000004"]).startswith(
        f"NCBI E-utilities at {eutils.base_url} did not finish within the 10.5 s deadline ("
    )
    assert fake_time.sleeps == pytest.approx([1 / 3, MAX_RETRY_AFTER, 1 / 3])


@pytest.mark.parametrize(
    ("pmid", "timeout", "whys"),
    [
        # the deadline passes between two reads, or while the last read waits for its byte
        (DRIPPING, DEFAULT_TIMEOUT, ("its reply was still coming", "no answer in time")),
        (STALLED, 600.0, ("no answer in time",)),
    ],
)
def test_a_reply_that_keeps_coming_or_stalls_ends_at_the_deadline(
    eutils: FakeEutils, tmp_path: Path, pmid: str, timeout: float, whys: tuple[str, ...]
) -> None:
    client = EutilsClient(
        base_url=eutils.base_url, cache=False, environ={}, timeout=timeout, deadline=1.0
    )
    started = time.monotonic()
    with pytest.raises(NcbiError) as raised:
        client.fetch_pubmed_xml(pmid)
    assert time.monotonic() - started < 60  # not the 600 s read timeout, nor the endless drip
    assert str(raised.value) in [
        f"NCBI E-utilities at {eutils.base_url} did not finish within the 1 s deadline ({why}): "
        "try again later, or give it longer with REVIEWBOOK_NCBI_DEADLINE"
        for why in whys
    ]
    assert raised.value.exit_status == EXIT_UNAVAILABLE


def test_a_reply_declaring_more_than_the_cap_is_refused_unread(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    with pytest.raises(NcbiError) as raised:
        client_for(eutils, fake_time, tmp_path).fetch_pubmed_xml(HUGE_DECLARED)
    assert str(raised.value) == (
        f"NCBI E-utilities at {eutils.base_url} sent a reply of more than 64 MiB, far more "
        f"than {BATCH_SIZE} records take: refused"
    )
    assert (raised.value.exit_status, len(eutils.requests)) == (EXIT_UNAVAILABLE, 1)


def test_a_reply_streaming_past_the_cap_is_cut_off_in_bounded_memory(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    cap = 256 * 2**10
    client = client_for(eutils, fake_time, tmp_path, max_reply_bytes=cap)
    tracemalloc.start()
    try:
        with pytest.raises(NcbiError, match="sent a reply of more than 262,144 bytes") as raised:
            client.fetch_pubmed_xml(HUGE_STREAMED)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * cap  # the reply is read in pieces up to the cap, never whole
    assert (raised.value.exit_status, len(eutils.requests)) == (EXIT_UNAVAILABLE, 1)


def other_hosts(eutils: FakeEutils) -> list[str]:
    port = int(urllib.parse.urlsplit(eutils.base_url).port or 0)
    query = "efetch.fcgi?db=pubmed&id=29037250&retmode=xml"
    return [
        f"http://localhost:{port}/entrez/eutils/{query}",
        f"https://127.0.0.1:{port}/entrez/eutils/{query}",
        f"http://127.0.0.1:{port + 1}/entrez/eutils/{query}",
        f"http://evil.example/entrez/eutils/{query}",
    ]


@pytest.mark.parametrize("target", range(4))
def test_a_redirect_to_another_host_is_refused(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path, target: int
) -> None:
    eutils.redirect_to = other_hosts(eutils)[target]
    origin = eutils.redirect_to.split("/entrez/")[0]
    shown = origin if origin.count(":") == 2 else f"{origin}:{443 if 'https' in origin else 80}"
    with pytest.raises(NcbiError) as raised:
        client_for(eutils, fake_time, tmp_path).fetch_pubmed_xml(REDIRECTED_AWAY)
    assert str(raised.value) == (
        f"NCBI E-utilities at {eutils.base_url} redirected the request to another host, "
        f"{shown}: refused (a redirect is followed only to the same scheme, host and port)"
    )
    assert (raised.value.exit_status, len(eutils.requests)) == (EXIT_UNAVAILABLE, 1)


def test_a_redirect_within_the_same_host_is_followed(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    data = client_for(eutils, fake_time, tmp_path).fetch_pubmed_xml(REDIRECTED_HOME)
    assert data == record_xml(REDIRECTED_HOME)
    assert [path for path, _ in eutils.requests] == list(EFETCH_PATHS)


# --- settings from the environment -------------------------------------------------------------


def test_addresses_and_deadline_come_from_the_environment(
    eutils: FakeEutils, fake_time: FakeTime, tmp_path: Path
) -> None:
    idconv = eutils.base_url.replace("/entrez/eutils/", IDCONV_PATH)
    environ = {
        "REVIEWBOOK_EUTILS_URL": eutils.base_url.rstrip("/"),
        "REVIEWBOOK_IDCONV_URL": idconv,
        "REVIEWBOOK_NCBI_DEADLINE": "7.5",
    }
    client = EutilsClient(
        environ=environ, cache=False, clock=fake_time.clock, sleep=fake_time.sleep
    )
    assert (client.base_url, client.idconv_base, client.deadline) == (
        eutils.base_url,
        idconv,
        7.5,
    )
    assert client.fetch_pubmed_xml("29037250") == JANSSEN_XML
    assert client.convert_ids(["PMC9000333"]).records[0]["pmid"] == 9000333
    given = EutilsClient(environ=environ, base_url=EUTILS_URL, idconv_url=IDCONV_URL, deadline=3)
    assert (given.base_url, given.idconv_base, given.deadline) == (EUTILS_URL, IDCONV_URL, 3)
    default = EutilsClient(environ={})
    assert (default.base_url, default.idconv_base, default.deadline) == (
        EUTILS_URL,
        IDCONV_URL,
        DEFAULT_DEADLINE,
    )


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("REVIEWBOOK_NCBI_DEADLINE", "soon", "not a number of seconds above 0"),
        ("REVIEWBOOK_NCBI_DEADLINE", "0", "not a number of seconds above 0"),
        ("REVIEWBOOK_NCBI_DEADLINE", "-5", "not a number of seconds above 0"),
        ("REVIEWBOOK_NCBI_DEADLINE", "inf", "not a number of seconds above 0"),
        ("REVIEWBOOK_NCBI_DEADLINE", "nan", "not a number of seconds above 0"),
        ("REVIEWBOOK_EUTILS_URL", "ftp://mirror.example/eutils/", "not an http(s) address"),
        ("REVIEWBOOK_EUTILS_URL", "/srv/eutils", "not an http(s) address"),
        ("REVIEWBOOK_IDCONV_URL", "file:///etc/", "not an http(s) address"),
        ("REVIEWBOOK_IDCONV_URL", "http://host:port/", "not an http(s) address"),
    ],
)
def test_a_setting_that_cannot_be_used_is_refused_naming_it(
    name: str, value: str, why: str
) -> None:
    with pytest.raises(NcbiError) as raised:
        EutilsClient(environ={name: value})
    assert str(raised.value) == f"{name}={value!r}: {why}"
    assert raised.value.exit_status == EXIT_BAD_SETTING
