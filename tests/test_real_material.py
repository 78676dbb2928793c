"""`confgen add` on material as users have it: real .bib files, PDFs and arXiv answers.

Every input comes from a public repository (tests/data/real/README.md says which); the
tests say what a user must get from it: every entry that is there, nothing mixed up,
every bad input named with its file and line, and exit 1 when some were skipped.
"""

import os
import re
import shutil
import stat
from pathlib import Path

import pytest
import yaml
from factories import run_cli
from source_server import serve

from generator.core.yamlio import write_atomic
from generator.sources.bibtex import read_bibtex, read_bibtex_files
from generator.sources.pdf import read_pdf

REAL = Path(__file__).parent / "data" / "real"
BIB, PDF = REAL / "bib", REAL / "pdf"


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with serve(monkeypatch) as running:
        yield running


def event_papers(root: Path) -> list[dict]:
    return yaml.safe_load((root / "event.yaml").read_text(encoding="utf-8"))["papers"]


class DescribeBibtexIdentity:
    def it_keeps_entries_that_share_a_title_apart(self):
        path = BIB / "sympy-paper_duplicate_titles_excerpt.bib"
        papers = [f.paper for f in read_bibtex(path).found[path]]
        sakurai = [p for p in papers if p.title == "Modern Quantum Mechanics"]
        assert [p.key for p in sakurai] == ["sakurai2010", "sakurai2011modern"]
        assert sakurai[1].links == {"paper": "https://books.google.com/books?id=N4I-AQAACAAJ"}
        assert sakurai[0].links == {}
        assert len({p.key for p in papers}) == len(papers)

    def it_adds_21_online_references_with_one_title_as_21_papers(self, server, capsys,
                                                                 tmp_path):
        # A reference manager's export: real @Online entries of biblatex-examples, each
        # titled "Online reference" as many exports title web pages.
        text = (BIB / "bibtexparser_biber-examples_excerpt.bib").read_text(encoding="utf-8")
        online = re.findall(r"@Online\{.*?\n\}", text, flags=re.S)
        assert online, "the excerpt holds @Online entries"
        entries = []
        for number in range(21):
            entry = re.sub(r"(?m)^(\s*title\s*=\s*)\{.*?\},$", r"\1{Online reference},",
                           online[number % len(online)], count=1)
            entry = re.sub(r"(?m)^\s*url\s*=.*$", "", entry)
            entry = re.sub(r"@Online\{[^,]+,", f"@Online{{ref{number},\n  url = "
                           f"{{https://example.org/{number}}},", entry)
            entry = re.sub(r"(?m)^\s*eprint\w*\s*=.*$", "", entry)  # one arXiv id = one paper
            entries.append(entry)
        refs = tmp_path / "refs.bib"
        refs.write_text("\n\n".join(entries), encoding="utf-8")
        code, out = run_cli(capsys, "add", "conf", str(refs))
        assert code == 0, out
        papers = event_papers(Path("summaries/conf"))
        assert len(papers) == 21
        assert len({p["links"]["paper"] for p in papers}) == 21
        code, out = run_cli(capsys, "add", "conf", str(refs))  # again: updated, not doubled
        assert code == 0 and len(event_papers(Path("summaries/conf"))) == 21


class DescribeBibtexMacrosAndCrossrefs:
    def it_reads_string_macros_from_another_file_given_in_the_same_command(self, tmp_path):
        source = (BIB / "sympy-paper_duplicate_titles_excerpt.bib").read_text(encoding="utf-8")
        strings = tmp_path / "strings.bib"
        strings.write_text("".join(line + "\n" for line in source.splitlines()
                                   if line.startswith("@string")), encoding="utf-8")
        refs = tmp_path / "refs.bib"
        refs.write_text("\n".join(line for line in source.splitlines()
                                  if not line.startswith("@string")), encoding="utf-8")
        alone = read_bibtex(refs)
        javadi = next(f.paper for f in alone.found[refs] if f.paper.key == "javadi2007spmod")
        assert javadi.venue == ""  # an undefined macro is never the venue...
        assert any("pro:issac:07 is an undefined @string macro" in w for w in alone.warnings)
        together = read_bibtex_files([strings, refs])
        javadi = next(f.paper for f in together.found[refs] if f.paper.key == "javadi2007spmod")
        assert javadi.venue.startswith("ISSAC '07: Proceedings of the 2007 International")
        assert not together.warnings and not together.problems

    def it_gives_crossref_children_their_parents_venue_and_drops_the_parent(self):
        path = BIB / "jabref_crossref.bib"
        papers = [f.paper for f in read_bibtex(path).found[path]]
        assert [p.title for p in papers] == [
            "Architectural Decision Guidance Across Projects - Problem Space Modeling, Decision "
            "Backlog Management and Cloud Computing Knowledge",
            "Title of the article", "Paper title"]
        assert papers[0].venue.startswith("12th Working IEEE/IFIP Conference on Software")
        assert papers[0].links["doi"] == "https://doi.org/10.1109/WICSA.2015.29"

    def it_reads_biblatex_journaltitle_and_date(self):
        path = BIB / "bibtexparser_biber-examples_excerpt.bib"
        result = read_bibtex(path)
        papers = {f.paper.key: f.paper for f in result.found[path]}
        assert papers["baez-article"].venue == "Theory and Applications of Categories 2004"
        assert papers["angenendt"].venue == "Revue d'Histoire Ecclésiastique 2002"
        assert papers["angenendt"].title == \
            "In Honore Salvatoris – Vom Sinn und Unsinn der Patrozinienkunde"
        assert not result.problems  # @set and crossref parents are not papers, not errors

    def it_reports_a_duplicate_key_and_keeps_the_first_entry(self):
        path = BIB / "biber_full-bbl_duplicate_and_case_keys.bib"
        result = read_bibtex(path)
        titles = [f.paper.title for f in result.found[path]]
        assert "The Fullness of Times" in titles and "Dresses for Gentlemen" not in titles
        [problem] = result.problems
        assert problem.line == 11 and "the key 'F1' is used by an earlier entry" in \
            problem.message


class DescribeBibtexEncodings:
    def it_reads_latin_1_and_says_so(self):
        path = BIB / "biber_encoding3_latin1.bib"
        result = read_bibtex(path)
        assert "Söme" in result.found[path][0].paper.title
        assert "read as Latin-1" in result.warnings[0]

    def it_reads_utf_8_with_a_byte_order_mark(self, tmp_path):
        path = tmp_path / "bom.bib"
        text = (BIB / "bibtexparser_article_with_special_characters.bib").read_text("utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        result = read_bibtex(path)
        assert not result.problems and not result.warnings
        assert "é" in " ".join(result.found[path][0].paper.authors + [
            result.found[path][0].paper.title])

    def it_names_the_line_of_a_byte_its_declared_encoding_cannot_read(self):
        path = BIB / "jabref_encoding-windows-1252-but-utf-8-declared--decoding-fails.bib"
        [problem] = read_bibtex(path).problems
        assert problem.line == 4 and "'% Encoding: UTF-8'" in problem.message
        assert "0xA0" in problem.message


class DescribePartialImports:
    @pytest.fixture
    def inputs(self, tmp_path):
        good = BIB / "jabref_crossref.bib"
        text = (BIB / "sympy-paper_duplicate_titles_excerpt.bib").read_text(encoding="utf-8")
        broken = tmp_path / "broken.bib"  # a real file whose second entry lost its "}"
        cut = text.index("@mastersthesis{Javadi2006spmod")
        cut = text.index("},\n", cut)
        broken.write_text(text[:cut] + ",\n" + text[cut + 3:], encoding="utf-8")
        folder = tmp_path / "pdfs"
        folder.mkdir()
        for name in ("arxiv_2202.00535v1_two_column_abstract_heading.pdf",
                     "truncated_arxiv_0908.0054_first60KiB.pdf", "scanned_no_text_layer_jbig2.pdf"):
            shutil.copy(PDF / name, folder / name)
        (folder / "empty.pdf").write_bytes(b"")
        return good, broken, folder

    def it_adds_the_good_entries_lists_every_bad_one_and_exits_1(self, server, capsys, inputs):
        good, broken, folder = inputs
        code, out = run_cli(capsys, "add", "conf", str(good), str(broken), str(folder))
        assert code == 1, out
        assert re.search(r"skipped: .*broken\.bib:\d+: this entry is not closed", out)
        assert "truncated_arxiv_0908.0054_first60KiB.pdf: cannot read this PDF" in out
        assert "empty.pdf: cannot read this PDF" in out
        assert "no text layer" in out and "Traceback" not in out
        titles = [p["title"] for p in event_papers(Path("summaries/conf"))]
        assert "Paper title" in titles and "Dynamics, Theory and Applications" in titles
        assert "Novelty Controlled Paraphrase Generation with Retrieval Augmented " \
               "Conditional Prompt Tuning" in titles
        assert len(titles) == 3 + 14 + 2  # crossref.bib, broken.bib but one, two PDFs

    def it_adds_nothing_with_strict(self, server, capsys, inputs):
        good, broken, folder = inputs
        code, out = run_cli(capsys, "add", "conf", str(good), str(broken), str(folder),
                            "--strict")
        assert code == 2 and "broken.bib" in out and "empty.pdf" in out
        assert not Path("summaries").exists()


class DescribePdfs:
    def it_finds_an_abstract_without_a_heading_in_revtex(self):
        paper = read_pdf(PDF / "arxiv_0908.0054_revtex_no_abstract_heading.pdf").paper
        assert paper.abstract.startswith("In this work we report the cosmological effects")
        assert paper.abstract.endswith("a non-zero optical depth of Reionization.")
        assert paper.arxiv == "0908.0054v1"

    def it_ends_an_acm_abstract_before_its_keywords_and_permission_box(self):
        paper = read_pdf(PDF / "acm_two_column_uppercase_ABSTRACT.pdf").paper
        assert paper.abstract.startswith("We describe in this paper a new method")
        assert paper.abstract.endswith("implemented in an actual real-size cluster platform.")

    def it_reads_a_two_column_paper_in_order(self):
        paper = read_pdf(PDF / "arxiv_2202.00535v1_two_column_abstract_heading.pdf").paper
        assert paper.abstract.startswith("Paraphrase generation is a fundamental")
        assert paper.body.startswith("The task of paraphrase generation aims at rephrasing")
        assert "Copyright ©" not in paper.body  # the AAAI footnote box is not text

    def it_leaves_out_footnotes_with_addresses(self):
        paper = read_pdf(PDF / "arxiv_0908.0054_revtex_no_abstract_heading.pdf").paper
        assert "Electronic address" not in paper.body and "@" not in paper.body
        assert "http://www.iac.edu.mx/" not in paper.body  # the footnote's own line
        assert "Thus the content of neutrinos" in paper.body

    def it_drops_the_line_numbers_and_header_of_a_review_copy(self):
        paper = read_pdf(PDF / "line_numbered_review_copy_acl2017.pdf").paper
        assert paper.abstract.startswith("This document contains the instructions")
        assert paper.abstract.endswith("conform to all the directions reported in this document.")
        text = paper.abstract + " " + paper.body
        assert not re.search(r"\b0\d\d\b", text) and "DO NOT DISTRIBUTE" not in text
        assert paper.body.startswith("This document has been adapted from the instructions")

    def it_adds_a_scan_with_a_note_and_no_text(self):
        found = read_pdf(PDF / "scanned_no_text_layer_jbig2.pdf")
        assert found.paper.abstract == "" and found.paper.body == ""
        assert "no text layer" in found.note

    def it_joins_tex_accents_and_ligatures(self):
        paper = read_pdf(PDF / "arxiv_0908.0054_revtex_no_abstract_heading.pdf").paper
        assert "modification" in paper.body and "´" not in paper.body


class DescribeServiceAnswers:
    def it_reports_arxivs_own_error_message(self, server, capsys):
        body = (REAL / "arxiv" / "error_400_incorrect_id_format_abc.xml").read_bytes()
        server.fail_next("arxiv", 400, body, content_type="application/atom+xml")
        code, out = run_cli(capsys, "add", "conf", "2505.06708")
        assert code == 2
        assert "arXiv refused the request for 2505.06708: incorrect id format for abc" in out
        assert "try again later" not in out

    def it_warns_and_goes_on_when_the_cache_cannot_be_written(self, server, capsys, tmp_path,
                                                              monkeypatch):
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the cache folder should be")
        monkeypatch.setenv("CONFGEN_CACHE_DIR", str(blocker / "cache"))
        code, out = run_cli(capsys, "add", "conf", "2505.06708")
        assert code == 0, out
        assert "warning: cannot write the arxiv cache" in out
        assert len(event_papers(Path("summaries/conf"))) == 1

    def it_suggests_a_next_command_that_a_shell_can_run(self, server, capsys):
        code, out = run_cli(capsys, "add", "summaries/NeurIPS 2024 (Vancouver)",
                            str(BIB / "jabref_crossref.bib"))
        assert code == 0, out
        assert "next: confgen build 'summaries/NeurIPS 2024 (Vancouver)'" in out


class DescribeFileModes:
    @pytest.fixture
    def umask_022(self):
        old = os.umask(0o022)
        yield
        os.umask(old)

    def it_gives_new_files_the_umask_mode(self, tmp_path, umask_022):
        path = tmp_path / "new.yaml"
        write_atomic(path, "a: 1\n")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644

    def it_keeps_the_mode_of_a_file_it_rewrites(self, tmp_path, umask_022):
        path = tmp_path / "kept.yaml"
        path.write_text("a: 1\n")
        path.chmod(0o640)
        write_atomic(path, "a: 2\n")
        assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "a: 2\n"

    def it_writes_an_added_event_readable_by_others(self, server, capsys, umask_022):
        assert run_cli(capsys, "add", "conf", str(BIB / "jabref_crossref.bib"))[0] == 0
        assert stat.S_IMODE(Path("summaries/conf/event.yaml").stat().st_mode) == 0o644


def real_arxiv_papers() -> list:
    from generator.sources.arxiv import parse_feed

    return [entry for name in ("query_testing_start20_max10.xml",
                               "query_testing_start40_max10.xml")
            for entry in parse_feed((REAL / "arxiv" / name).read_bytes())]


class DescribeOfflineDraftsOfRealPapers:
    def it_never_repeats_a_comic_frame(self):
        from generator.drafting.backends.offline import draft_content

        for entry in real_arxiv_papers():
            texts = [frame.lines[-1].text for frame in draft_content(entry.title,
                                                                      entry.abstract).comic]
            assert len(texts) >= 3 and len(set(texts)) == len(texts), entry.base_id

    def it_writes_a_tldr_that_is_a_sentence(self):
        from generator.drafting.backends.offline import draft_content

        for entry in real_arxiv_papers():
            tldr = draft_content(entry.title, entry.abstract).tldr
            assert re.match(r"[A-Z]", tldr) and len(tldr.split()) >= 4, (entry.base_id, tldr)
            assert not re.search(r"\d\]\)?\.$", tldr), tldr

    def it_keeps_citations_and_abbreviations_inside_sentences(self):
        from generator.drafting.backends.offline import split_sentences

        paper = read_pdf(PDF / "arxiv_2202.00535v1_two_column_abstract_heading.pdf").paper
        sentences = split_sentences(paper.source_text)
        assert "For example, MegatronLM (Shoeybi et al. 2019) has more than 11 billion " \
               "parameters to fine-tune." in sentences
        revtex = read_pdf(PDF / "arxiv_0908.0054_revtex_no_abstract_heading.pdf").paper
        sentences = split_sentences(revtex.source_text)
        assert "The SFDM model has been tested on galactic scales [8, 9, 10]." in sentences
        assert any(s.startswith("Thus the content of neutrinos") and "i.e., mν" in s
                   for s in sentences)
        for sentence in sentences:
            assert re.match(r"[\"“(\[]?[A-Z0-9ΘΩ∗]", sentence), sentence

    def it_takes_results_as_key_numbers_not_math_years_or_citations(self):
        from generator.drafting.backends.offline import draft_content

        numbers = {entry.base_id: [(k.value, k.label) for k in
                                   draft_content(entry.title, entry.abstract).key_numbers]
                   for entry in real_arxiv_papers()}
        assert numbers["2005.06826"] == [("1-3%", "of all test cases were intermittently")]
        assert numbers["1908.03707"][:2] == [("96.01%", "defect detection rate"),
                                             ("55.68%", "defect detection rate")]
        assert numbers["2106.13414"] == []  # ε₁ = 0, Θ(√n), n/log n: all mathematics
        assert numbers["2008.01944"] == []  # 0-1 matrices, "no more than r 1's"
        acl = read_pdf(PDF / "line_numbered_review_copy_acl2017.pdf").paper
        values = [k.value for k in draft_content(acl.title, acl.source_text).key_numbers]
        assert not any(re.fullmatch(r"0\d\d|20\d\d", v) for v in values)

    def it_drafts_nothing_for_a_scan(self, server, capsys):
        assert run_cli(capsys, "add", "conf", str(PDF / "scanned_no_text_layer_jbig2.pdf"),
                       str(BIB / "jabref_crossref.bib"))[0] == 0
        code, out = run_cli(capsys, "summarize", "conf", "--backend", "offline")
        assert code == 1
        assert "scanned-no-text-layer-jbig2" in out and "no abstract, notes or text" in out
        assert not Path("summaries/conf/scanned-no-text-layer-jbig2.yaml").exists()
