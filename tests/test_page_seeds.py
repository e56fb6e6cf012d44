"""Every field of both seed pages, exactly as a reader of the page would state it."""

from __future__ import annotations

from reviewbook import Article, Figure, Reference, read_pubmed_page

from .conftest import PUBMED

JANSSEN_ABSTRACT = (
    "Metastatic disease is the leading cause of death among cancer patients and involves a "
    "complex and inefficient process. Every step of the metastatic process can be rate limiting "
    "and is influenced by non-malignant host cells interacting with the tumor cell. Over a "
    "century ago, experiments first indicated a link between the immune system and metastasis. "
    "This phenomenon, called concomitant immunity, indicates that the primary tumor induces an "
    "immune response, which may not be sufficient to destroy the primary tumor, but prevents the "
    "growth of a secondary tumor or metastases. Since that time, many different immune cells "
    "have been shown to play a role in both inhibiting and promoting metastatic disease. Here we "
    "review classic and new observations, describing the links between the immune system and "
    "metastasis that inform the development of cancer therapies."
)

JANSSEN_DECLARATIONS = (
    "Authors’ information\n\nNot applicable.\n\n"
    "Ethics approval and consent to participate\n\nNot applicable.\n\n"
    "Consent for publication\n\nNot applicable.\n\n"
    "Competing interests\n\nThe authors declare that they have no competing interests.\n\n"
    "Publisher’s Note\n\nSpringer Nature remains neutral with regard to jurisdictional claims "
    "in published maps and institutional affiliations."
)

JANSSEN_REFERENCES = (
    Reference(
        index=1,
        raw="Weigelt B, Peterse JL. Van ‘t veer LJ. Breast cancer metastasis: markers and models. "
        "Nat. Rev. Cancer. 2005;5(8):591–602. - PubMed",
        authors=("Weigelt B", "Peterse JL", "Van ‘t veer LJ"),
        title="Breast cancer metastasis: markers and models",
        journal="Nat. Rev. Cancer",
        journal_key="nat rev cancer",
        year=2005,
        volume="5",
        issue="8",
        first_page="591",
        last_page="602",
        links=frozenset({"PubMed"}),
    ),
    Reference(
        index=2,
        raw="Hanahan D, Weinberg RA. Hallmarks of cancer: the next generation. Cell. "
        "2011;144(5):646–674. doi: 10.1016/j.cell.2011.02.013. - DOI - PubMed",
        authors=("Hanahan D", "Weinberg RA"),
        title="Hallmarks of cancer: the next generation",
        journal="Cell",
        journal_key="cell",
        year=2011,
        volume="144",
        issue="5",
        first_page="646",
        last_page="674",
        doi="10.1016/j.cell.2011.02.013",
        links=frozenset({"DOI", "PubMed"}),
    ),
    Reference(
        index=3,
        raw="van Zijl F, Krupitza G, Mikulits W. Initial steps of metastasis: cell invasion and "
        "endothelial transmigration. Mutat Res. 2011;728(1–2):23–34. "
        "doi: 10.1016/j.mrrev.2011.05.002. - DOI - PMC - PubMed",
        authors=("van Zijl F", "Krupitza G", "Mikulits W"),
        title="Initial steps of metastasis: cell invasion and endothelial transmigration",
        journal="Mutat Res",
        journal_key="mutat res",
        year=2011,
        volume="728",
        issue="1–2",
        first_page="23",
        last_page="34",
        doi="10.1016/j.mrrev.2011.05.002",
        links=frozenset({"DOI", "PMC", "PubMed"}),
    ),
    Reference(
        index=4,
        raw="Pantel K, Brakenhoff RH. Dissecting the metastatic cascade. Nat Rev Cancer. "
        "2004;4(6):448–456. doi: 10.1038/nrc1370. - DOI - PubMed",
        authors=("Pantel K", "Brakenhoff RH"),
        title="Dissecting the metastatic cascade",
        journal="Nat Rev Cancer",
        journal_key="nat rev cancer",
        year=2004,
        volume="4",
        issue="6",
        first_page="448",
        last_page="456",
        doi="10.1038/nrc1370",
        links=frozenset({"DOI", "PubMed"}),
    ),
    Reference(
        index=5,
        raw="Chambers AF, Groom AC, MacDonald IC. Dissemination and growth of cancer cells in "
        "metastatic sites. Nat Rev Cancer. 2002;2(8):563–572. doi: 10.1038/nrc865. - DOI - PubMed",
        authors=("Chambers AF", "Groom AC", "MacDonald IC"),
        title="Dissemination and growth of cancer cells in metastatic sites",
        journal="Nat Rev Cancer",
        journal_key="nat rev cancer",
        year=2002,
        volume="2",
        issue="8",
        first_page="563",
        last_page="572",
        doi="10.1038/nrc865",
        links=frozenset({"DOI", "PubMed"}),
    ),
)

JANSSEN = Article(
    pmid="29037250",
    title="The immune system in cancer metastasis: friend or foe?",
    article_types=("Review",),
    journal="J Immunother Cancer",
    pub_date="2017 Oct 17",
    year=2017,
    volume="5",
    issue="1",
    pages="79",
    first_page="79",
    last_page=None,
    doi="10.1186/s40425-017-0283-9",
    epub_date=None,
    pmcid=None,
    authors_display="Louise M E Janssen et al.",
    first_author="Louise M E Janssen",
    abstract=JANSSEN_ABSTRACT,
    abstract_sections=(("", JANSSEN_ABSTRACT),),
    keywords=(),
    copyright=None,
    sections=(
        ("Conflict of interest statement", JANSSEN_DECLARATIONS),
        ("Similar articles", ""),
        ("Cited by", ""),
        ("LinkOut - more resources", ""),
    ),
    figures=(),
    references=JANSSEN_REFERENCES,
    warnings=(),
    source_path=str(PUBMED / "29037250.txt"),
    sha256="0864564514744819f3e3a6483180a8a12ed1ca82ad180a10de3b017424e11ec2",
)

EREZ_ABSTRACT = (
    "It is now well recognized that tumor cell-host interactions regulate all aspects of cancer "
    "development. Amongst the various host response programs that facilitate primary cancer "
    "development, an emerging body of literature points to a critical role for leukocytes and "
    "their soluble mediators as regulating discrete events during primary tumor development and "
    "metastasis. This review focuses on the multiple aspects of leukocytes and their effector "
    "molecules as regulators of the metastatic process."
)

EREZ_CAPTION = (
    "Soluble mediators secreted by infiltrating and resident leukocytes and by "
    "carcinoma-associated fibroblasts (CAFs) within primary tumor sites support signaling "
    "programs within neoplastic cells that enable motile and invasive growth. Survival of "
    "circulating tumor cells (CTCs) in peripheral blood is facilitated by platelets, neutrophils "
    "and production of selectins and chemokine receptors. Organ-specific metastasis is directed "
    "by differential expression of chemokines and their receptors that together promote "
    "extravasation and retention of CTCs in distal organs. Colonization of distal organs is "
    "accomplished by mobilization of leukocytes and other stromal cells in ectopic organs, such "
    "as activation of osteoclasts in bone, and recruitment of glial cells in brain."
)


EREZ_REFERENCES = (
    Reference(
        index=1,
        raw="Folkman J, Kalluri R. Cancer without disease. Nature. 2004;427:787. - PubMed",
        authors=("Folkman J", "Kalluri R"),
        title="Cancer without disease",
        journal="Nature",
        journal_key="nat",
        year=2004,
        volume="427",
        first_page="787",
        links=frozenset({"PubMed"}),
    ),
    Reference(
        index=2,
        raw="Nguyen DX, Bos PD, Massague J. Metastasis: from dissemination to organ-specific "
        "colonization. Nat Rev Cancer. 2009;9:274–84. - PubMed",
        authors=("Nguyen DX", "Bos PD", "Massague J"),
        title="Metastasis: from dissemination to organ-specific colonization",
        journal="Nat Rev Cancer",
        journal_key="nat rev cancer",
        year=2009,
        volume="9",
        first_page="274",
        last_page="284",
        links=frozenset({"PubMed"}),
    ),
    Reference(
        index=3,
        raw="Chambers AF, Groom AC, MacDonald IC. Dissemination and growth of cancer cells in "
        "metastatic sites. Nat Rev Cancer. 2002;2:563–72. - PubMed",
        authors=("Chambers AF", "Groom AC", "MacDonald IC"),
        title="Dissemination and growth of cancer cells in metastatic sites",
        journal="Nat Rev Cancer",
        journal_key="nat rev cancer",
        year=2002,
        volume="2",
        first_page="563",
        last_page="572",
        links=frozenset({"PubMed"}),
    ),
    Reference(
        index=4,
        raw="Joyce JA, Pollard JW. Microenvironmental regulation of metastasis. Nat Rev Cancer. "
        "2009;9:239–52. - PMC - PubMed",
        authors=("Joyce JA", "Pollard JW"),
        title="Microenvironmental regulation of metastasis",
        journal="Nat Rev Cancer",
        journal_key="nat rev cancer",
        year=2009,
        volume="9",
        first_page="239",
        last_page="252",
        links=frozenset({"PMC", "PubMed"}),
    ),
    Reference(
        index=5,
        raw="Coussens LM, Werb Z. Inflammation and cancer. Nature. 2002;420:860–7. - PMC - PubMed",
        authors=("Coussens LM", "Werb Z"),
        title="Inflammation and cancer",
        journal="Nature",
        journal_key="nat",
        year=2002,
        volume="420",
        first_page="860",
        last_page="867",
        links=frozenset({"PMC", "PubMed"}),
    ),
)

EREZ = Article(
    pmid="21387299",
    title=(
        "Leukocytes as paracrine regulators of metastasis and determinants of organ-specific "
        "colonization"
    ),
    article_types=("Review",),
    journal="Int J Cancer",
    pub_date="2011 Jun 1",
    year=2011,
    volume="128",
    issue="11",
    pages="2536-44",
    first_page="2536",
    last_page="2544",
    doi="10.1002/ijc.26032",
    epub_date="2011 Mar 25",
    pmcid=None,
    authors_display="Neta Erez et al.",
    first_author="Neta Erez",
    abstract=EREZ_ABSTRACT,
    abstract_sections=(("", EREZ_ABSTRACT),),
    keywords=(),
    copyright=None,
    sections=(("Publication types", ""),),
    figures=(
        Figure(
            label="Figure",
            title="Immune signaling in tumor microenvironments facilitates all stages of "
            "tumorigenesis",
            caption=EREZ_CAPTION,
        ),
    ),
    references=EREZ_REFERENCES,
    warnings=(),
    source_path=str(PUBMED / "21387299.txt"),
    sha256="6f63ca06e2110ebc1ab80b6aa6b200b2066ffb367f95664526003d42708954a7",
)


def test_janssen_page_gives_every_field_exactly() -> None:
    assert read_pubmed_page(PUBMED / "29037250.txt") == JANSSEN


def test_erez_page_gives_every_field_exactly() -> None:
    assert read_pubmed_page(PUBMED / "21387299.txt") == EREZ


def test_each_janssen_reference_exactly() -> None:
    # Compared one by one so a failure names the reference that changed.
    article = read_pubmed_page(PUBMED / "29037250.txt")
    for parsed, expected in zip(article.references, JANSSEN_REFERENCES, strict=True):
        assert parsed == expected


def test_each_erez_reference_exactly() -> None:
    article = read_pubmed_page(PUBMED / "21387299.txt")
    for parsed, expected in zip(article.references, EREZ_REFERENCES, strict=True):
        assert parsed == expected


def test_pubmed_url_comes_from_the_pmid() -> None:
    assert JANSSEN.pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/29037250/"


def test_the_same_cited_paper_printed_two_ways_shares_its_fields() -> None:
    """Chambers 2002 is printed with full pages and issue by Janssen, abbreviated by Erez."""
    janssen, erez = JANSSEN_REFERENCES[4], EREZ_REFERENCES[2]
    shared = ("authors", "title", "journal_key", "year", "volume", "first_page", "last_page")
    assert {name: getattr(janssen, name) for name in shared} == {
        name: getattr(erez, name) for name in shared
    }
