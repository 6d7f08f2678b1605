"""Loading and validating roles_data/, and recognising titles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from addin.model import Profiles, RolefitError
from addin.profiles import REQUIRED_IDS, is_ceo, load_profiles, recognise_role, recognise_roles
from addin.resources import data_dir

SEEDS = ("000_da3ecb48edf1f53a.txt", "001_9d32287c3abbe5c0.txt", "002_9287151728e9a38b.txt")


def test_every_contract_id_is_present_with_its_owner(profiles: Profiles) -> None:
    by_id = profiles.by_id()
    assert {rid: by_id[rid].role for rid in REQUIRED_IDS} == dict(REQUIRED_IDS)
    assert [p.role for p in profiles.profiles] == ["CIO", "CTO"]


def test_each_responsibility_is_cited_translated_and_has_words(profiles: Profiles) -> None:
    targets = {t.target for t in profiles.vocabulary}
    for r in profiles.responsibilities():
        assert r.sources and all(s.file in SEEDS and s.paragraph > 0 for s in r.sources)
        assert set(r.translations) == {"vi", "bn"}, r.id
        assert r.text("vi") != (r.name, r.description)
        assert r.id in targets
        langs = {t.lang for t in profiles.vocabulary if t.target == r.id}
        assert langs == {"en", "vi", "bn"}, r.id


def test_citations_follow_the_spec(profiles: Profiles) -> None:
    by_id = profiles.by_id()
    assert [str(s) for s in by_id["cio.it_infrastructure"].sources] == [
        "000_da3ecb48edf1f53a.txt ¶4", "001_9d32287c3abbe5c0.txt ¶11"]
    assert {s.file for s in by_id["cto.engineering_rnd"].sources} == set(SEEDS)


def test_shared_pairs_and_out_of_scope_areas(profiles: Profiles) -> None:
    assert profiles.is_shared("cto.architecture", "cio.it_infrastructure")
    assert profiles.is_shared("cio.it_vendors", "cto.product_vendors")
    assert not profiles.is_shared("cto.architecture", "cio.it_vendors")
    assert set(profiles.shared_partners("cto.architecture")) == {
        "cio.it_infrastructure", "cio.communications"}
    assert all(s.rule for s in profiles.shared)
    assert {"finance", "sales", "marketing", "hr", "legal", "facilities", "operations",
            "board"} <= set(profiles.areas)


def test_default_load_is_cached_and_versioned(profiles: Profiles) -> None:
    assert load_profiles() is load_profiles()
    assert len(profiles.version) == 12


def test_version_changes_with_the_data(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = load_profiles(folder).version
    with (folder / "cto.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# a comment changes the digest\n")
    assert load_profiles(folder).version != before


# ---------------------------------------------------------------- broken files


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "roles_data"
    shutil.copytree(data_dir("roles_data"), folder)
    return folder


def _break(tmp_path: Path, file: str, old: str, new: str, count: int = 1) -> Path:
    folder = _copy(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return folder


def _error(folder: Path) -> str:
    with pytest.raises(RolefitError) as info:
        load_profiles(folder)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_id_names_file_and_item(tmp_path: Path) -> None:
    folder = _break(tmp_path, "cto.yaml", "  - id: cto.architecture\n",
                    "  - idd: cto.architecture\n")
    assert _error(folder) == "roles_data/cto.yaml: responsibilities[1]: missing key 'id'"


def test_missing_contract_id_is_named(tmp_path: Path) -> None:
    folder = _break(tmp_path, "cio.yaml", "id: cio.it_vendors", "id: cio.vendor_management")
    assert _error(folder) == "roles_data: responsibility 'cio.it_vendors' (CIO) is missing"


def test_id_under_the_wrong_role(tmp_path: Path) -> None:
    folder = _break(tmp_path, "cio.yaml", "role: CIO", "role: CTO")
    assert _error(folder) == "roles_data: role 'CTO' is defined in more than one file"


def test_bad_weight(tmp_path: Path) -> None:
    folder = _break(tmp_path, "cio.yaml", "          helpdesk: 3\n", "          helpdesk: lots\n")
    assert _error(folder) == ("roles_data/cio.yaml: responsibilities[2].vocabulary.en.terms."
                              "helpdesk: weight must be a number, got text")


def test_bad_citation(tmp_path: Path) -> None:
    folder = _break(tmp_path, "cto.yaml", "sources: [000_da3ecb48edf1f53a.txt ¶8]",
                    "sources: [missing.txt ¶8]")
    assert _error(folder) == ("roles_data/cto.yaml: responsibilities[1].sources[0]: "
                              "'missing.txt' is not listed under documents in the sources file")


def test_unknown_shared_id(tmp_path: Path) -> None:
    folder = _break(tmp_path, "shared.yaml", "cio: cio.it_infrastructure", "cio: cio.nothing")
    assert _error(folder) == "roles_data/shared.yaml: shared[0].cio: unknown id 'cio.nothing'"


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    folder = _break(tmp_path, "cues.yaml", "kind: cues", "kind: [cues")
    message = _error(folder)
    assert message.startswith("roles_data/cues.yaml: line ")


def test_unknown_kind(tmp_path: Path) -> None:
    folder = _break(tmp_path, "cues.yaml", "kind: cues", "kind: hints")
    assert _error(folder) == ("roles_data/cues.yaml: kind: unknown kind 'hints' "
                              "(use sources, profile, out_of_scope, cues)")


def test_a_phrase_under_two_sections_of_one_area(tmp_path: Path) -> None:
    # "logistics" is already one of the area's terms
    folder = _break(tmp_path, "out_of_scope.yaml", "          warehouse: 2\n",
                    "          warehouse: 2\n          Logistics: 2\n")
    assert _error(folder) == (
        "roles_data/out_of_scope.yaml: areas.operations.vocabulary.en.terms.logistics: "
        "the same phrase is also listed at areas.operations.vocabulary.en.department.Logistics; "
        "keep it under one section")


def test_a_split_phrase_needs_both_parts(tmp_path: Path) -> None:
    folder = _break(tmp_path, "cto.yaml", "          technology strategy: 3.5\n",
                    "          technology strategy: 3.5\n          align ...: 2\n")
    assert _error(folder) == ("roles_data/cto.yaml: responsibilities[0].vocabulary.en.terms."
                              "align ...: a split phrase needs words before and after '...'")


def test_missing_folder(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope").endswith("nope: the profiles folder does not exist")


def test_an_extra_profile_file_extends_without_code(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "cdo.yaml").write_text(
        "kind: profile\nrole: CDO\nname: Chief Data Officer\nfocus: Data.\n"
        "titles: {en: [CDO]}\nresponsibilities:\n"
        "  - id: cdo.data_governance\n    name: Data governance\n"
        "    description: Owns data quality rules.\n"
        "    sources: [002_9287151728e9a38b.txt ¶3]\n"
        "    vocabulary: {en: {terms: {data governance: 3, data quality: 3}}}\n",
        encoding="utf-8")
    loaded = load_profiles(folder)
    assert loaded.by_id()["cdo.data_governance"].role == "CDO"
    assert recognise_role("CDO", loaded) == "CDO"


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("CTO", "CTO"), ("cto", "CTO"), ("Group CTO", "CTO"), ("CTO (interim)", "CTO"),
        ("Chief Technology Officer", "CTO"), ("Giám đốc công nghệ", "CTO"),
        ("Giam doc cong nghe", "CTO"), ("চীফ টেকনোলজি অফিসার", "CTO"),
        ("প্রধান প্রযুক্তি কর্মকর্তা", "CTO"), ("সিটিও", "CTO"),
        ("CIO", "CIO"), ("Chief Information Officer", "CIO"), ("Giám đốc thông tin", "CIO"),
        ("Giám đốc công nghệ thông tin", "CIO"), ("প্রধান তথ্য অফিসার", "CIO"),
        ("প্রধান তথ্য কর্মকর্তা", "CIO"), ("সিআইও", "CIO"), ("Trần Thị B - CIO", "CIO"),
        ("Deputy CTO", None), ("Vice CIO", None), ("Phó giám đốc công nghệ", None),
        ("CISO", None), ("CDO", None), ("Head of IT", None), ("VP Engineering", None),
        ("Chief Information Security Officer", None), ("", None), ("CEO", None),
    ],
)
def test_recognise_role(title: str, role: str | None, profiles: Profiles) -> None:
    assert recognise_role(title, profiles) == role


def test_a_title_naming_both_roles(profiles: Profiles) -> None:
    assert recognise_roles("CIO & CTO", profiles) == ("CIO", "CTO")
    assert recognise_role("CTO/CIO", profiles) == "CTO"


@pytest.mark.parametrize(
    ("text", "ceo"),
    [("CEO", True), ("Chief Executive Officer", True), ("Founder & CEO", True),
     ("Tổng giám đốc", True), ("Tong giam doc", True), ("Giám đốc điều hành", True),
     ("সিইও", True), ("প্রধান নির্বাহী কর্মকর্তা", True), ("Deputy CEO", False),
     ("Phó tổng giám đốc", False), ("CFO", False), ("CTO", False), ("", False)],
)
def test_is_ceo(text: str, ceo: bool, profiles: Profiles) -> None:
    assert is_ceo(text, profiles) is ceo
