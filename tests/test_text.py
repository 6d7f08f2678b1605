"""Normalisation, language detection and tokenising, per language."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.text import (
    Canon,
    detect_lang,
    fold_latin,
    normalise_token,
    strip_vietnamese_diacritics,
    tokenise,
    vietnamese_marked,
    words,
)

# ---------------------------------------------------------------- English


def test_english_words_are_case_folded() -> None:
    assert words("Run the IT Helpdesk") == ["run", "the", "it", "helpdesk"]


@pytest.mark.parametrize(
    ("raw", "token"),
    [
        ("R&D", "rnd"), ("R & D", "rnd"), ("SOC 2", "soc2"), ("SOC2", "soc2"), ("soc-2", "soc2"),
        ("ISO 27001", "iso27001"), ("ISO27001", "iso27001"), ("ISO/IEC 27001", "iso27001"),
        ("Wi-Fi", "wifi"), ("e-mail", "email"), ("Microsoft 365", "m365"), ("M365", "m365"),
        ("O365", "m365"), ("24/7", "24x7"), ("mgmt", "management"), ("infra", "infrastructure"),
    ],
)
def test_abbreviations_become_one_token(raw: str, token: str) -> None:
    assert words(f"x {raw} y") == ["x", token, "y"]


def test_with_shorthand() -> None:
    assert words("M365 licensing w/ Microsoft") == ["m365", "licensing", "with", "microsoft"]


def test_tokens_keep_offsets_into_the_original_text() -> None:
    text = "Own the SOC 2 audit, R&D budget"
    assert [text[t.start:t.end] for t in tokenise(text)] == [
        "Own", "the", "SOC 2", "audit", "R&D", "budget"]


def test_fullwidth_letters_are_normalised() -> None:
    assert words("ＥＲＰ") == ["erp"]


@pytest.mark.parametrize(
    ("word", "base"),
    [("managing", "manage"), ("management", "manage"), ("managed", "manage"),
     ("servers", "server"), ("policies", "policy"), ("planning", "plan"),
     ("licences", "licence"), ("processes", "process"), ("integration", "integrate"),
     ("digitising", "digitise"), ("organisation", "organize")],
)
def test_light_stemming_to_known_words(word: str, base: str) -> None:
    canon = Canon(["manage", "server", "policy", "plan", "licence", "process", "integrate",
                   "digitise", "organize"])
    assert canon(word) == base


def test_stemming_never_merges_into_an_unknown_word() -> None:
    canon = Canon(["market"])
    assert canon("marketing") == "marketing"  # a word of its own, not "market" + -ing
    assert canon("servers") == "servers"  # "server" is unknown: left as it is


def test_inflected_vocabulary_words_meet_their_base() -> None:
    canon = Canon(["system", "systems", "team", "teams"])
    assert canon("systems") == canon("system") == "system"
    assert canon("teams") == "team"


def test_three_letter_plurals_of_known_short_words() -> None:
    canon = Canon(["vm", "pc", "ad", "it", "up", "ups", "ha"])
    assert canon("vms") == "vm"
    assert canon("pcs") == "pc"
    assert canon("ads") == "ad"
    # not plurals: "its" is not more than one IT, a known "ups" (UPS) stays itself
    assert canon("its") == "its"
    assert canon("has") == "has"
    assert canon("ups") == "ups"
    assert canon("dbs") == "dbs"  # "db" is unknown: left as it is


# ---------------------------------------------------------------- Vietnamese


def test_words_written_with_vietnamese_accents_are_marked() -> None:
    text = "Chăm sóc SOC và ROI rồi"
    tokens = tokenise(text)
    marked = vietnamese_marked(text, tokens, "vi")
    assert [tokens[i].norm for i in sorted(marked)] == ["cham", "soc", "va", "roi"]
    assert {tokens[i].norm for i in range(len(tokens)) if i not in marked} == {"soc", "roi"}
    # typed without accents: nothing to go by
    plain = "cham soc khach hang"
    assert vietnamese_marked(plain, tokenise(plain), "vi") == frozenset()
    # accents other languages share count only in a Vietnamese line
    cafe = "Café Wi-Fi for the office"
    assert vietnamese_marked(cafe, tokenise(cafe), "en") == frozenset()
    nfd = unicodedata.normalize("NFD", "Văn phòng")
    assert vietnamese_marked(nfd, tokenise(nfd), "vi") == frozenset({0, 1})


def test_vietnamese_folds_to_plain_letters() -> None:
    assert words("Quản lý hệ thống mạng nội bộ") == [
        "quan", "ly", "he", "thong", "mang", "noi", "bo"]


def test_d_with_stroke_folds_to_d() -> None:
    assert fold_latin("Đảm") == "dam"
    assert words("đội ngũ") == ["doi", "ngu"]


def test_decomposed_and_precomposed_vietnamese_are_equal() -> None:
    text = "Giám đốc công nghệ"
    assert words(unicodedata.normalize("NFD", text)) == words(text)


def test_strip_vietnamese_diacritics_keeps_case_and_spacing() -> None:
    assert strip_vietnamese_diacritics("Quản lý  Đội IT") == "Quan ly  Doi IT"


@pytest.mark.parametrize(
    "text",
    ["Quản lý vendor phần mềm ERP", "quan ly he thong mang noi bo", "Xây dựng roadmap sản phẩm AI",
     "Tuyển nhân viên kinh doanh", "bao mat du lieu khach hang"],
)
def test_detects_vietnamese_with_or_without_accents(text: str) -> None:
    assert detect_lang(text) == "vi"


# ---------------------------------------------------------------- Bengali


def test_bengali_words_keep_vowel_signs() -> None:
    assert words("সার্ভারের নিরাপত্তা") == ["সার্ভারের", "নিরাপত্তা"]


def test_bengali_joiners_and_digits_are_normalised() -> None:
    assert normalise_token("র\u200dযাব") == "রযাব"
    assert normalise_token("২০২৫") == "2025"


def test_bengali_nukta_forms_compare_equal() -> None:
    # য় as one code point and as য + nukta
    assert normalise_token("\u09df") == normalise_token("\u09af\u09bc")


@pytest.mark.parametrize(
    ("word", "base"),
    [("সার্ভারের", "সার্ভার"), ("কর্মীদের", "কর্মী"), ("বিভাগকে", "বিভাগ"), ("অফিসে", "অফিস"),
     ("সার্ভারগুলোর", "সার্ভার"), ("ডেটাতে", "ডেটা"), ("অ্যাপটি", "অ্যাপ")],
)
def test_bengali_case_endings_are_stripped_to_known_words(word: str, base: str) -> None:
    canon = Canon(["সার্ভার", "কর্মী", "বিভাগ", "অফিস", "ডেটা", "অ্যাপ"])
    assert canon(word) == base


@pytest.mark.parametrize(
    "text",
    ["আইটি হেল্পডেস্ক পরিচালনা", "ERP সফটওয়্যার বিক্রেতার সাথে চুক্তি", "cloud আর্কিটেকচার ডিজাইন"],
)
def test_detects_bengali_even_with_latin_loanwords(text: str) -> None:
    assert detect_lang(text) == "bn"


@pytest.mark.parametrize("text", ["Own SaaS platform roadmap", "Helpdesk + laptop refresh", ""])
def test_detects_english(text: str) -> None:
    assert detect_lang(text) == "en"


# ---------------------------------------------------------------- properties


@given(st.text())
def test_tokenise_never_raises_and_offsets_are_valid(text: str) -> None:
    for t in tokenise(text):
        assert 0 <= t.start < t.end <= len(text)
        assert t.norm


@given(st.text())
def test_detect_lang_always_answers(text: str) -> None:
    assert detect_lang(text) in ("en", "vi", "bn")


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_folding_is_idempotent(text: str) -> None:
    once = words(text)
    assert words(" ".join(once)) == [w for w in once for w in words(w)]
