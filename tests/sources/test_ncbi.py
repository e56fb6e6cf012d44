"""The E-utilities client against a fake efetch server on 127.0.0.1, clock and sleep injected.

The fake serves PubMed XML in efetch's schema for known PMIDs and misbehaves on purpose for
others: busy (429), failing (5xx), slow, garbled, empty. Time is a fake clock that moves only
when the client sleeps, so rate spacing and backoff are asserted exactly, never by wall clock.
"""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reviewbook.sources.ncbi import (
    EXIT_BAD_PMID,
    EXIT_BAD_REPLY,
    EXIT_UNAVAILABLE,
    EutilsClient,
    NcbiError,
    RateLimiter,
    default_cache_dir,
)
from tests.conftest import TEST_DATA

JANSSEN_XML = (TEST_DATA / "pubmed_29037250_reference_list.xml").read_bytes()
EMAIL = "reader@example.org"

BUSY_ONCE, FAILING, FAILING_ONCE, SLOW = "11111111", "22222222", "77777777", "33333333"
GARBLED, MISSING, BAD_REQUEST = "44444444", "55555555", "66666666"


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


@dataclass
class FakeEutils:
    """What the fake server saw, and the switch that lets a slow reply finish."""

    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    base_url: str = ""

    def reply(self, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if path != "/entrez/eutils/efetch.fcgi":
            return 404, {}, b"Not Found"
        pmid = params.get("id", "")
        seen = sum(1 for _, earlier in self.requests if earlier.get("id") == pmid)
        if pmid == BUSY_ONCE and seen == 1:
            return 429, {"Retry-After": "2"}, b'{"error":"API rate limit exceeded"}'
        if pmid == FAILING or (pmid == FAILING_ONCE and seen == 1):
            return 503, {}, b"<html><body>Service Unavailable</body></html>"
        if pmid == SLOW:
            self.release.wait(10)
        if pmid == GARBLED:
            return 200, {}, b"<html><body>Oops, something went wrong</html>"
        if pmid == MISSING:
            return 200, {}, b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
        if pmid == BAD_REQUEST:
            return 400, {}, b'{"error":"Invalid API key"}'
        return 200, {}, JANSSEN_XML if pmid == "29037250" else record_xml(pmid)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that timed out has gone; the fake need not say so."""


@pytest.fixture
def eutils() -> Iterator[FakeEutils]:
    fake = FakeEutils()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(url.query))
            fake.requests.append((url.path, params))
            status, headers, body = fake.reply(url.path, params)
            self.send_response(status)
            for name, value in {"Content-Type": "text/xml", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

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
