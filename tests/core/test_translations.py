"""The catalogues are complete: every source string has a Vietnamese translation.

A string wrapped for translation (gettext, {% translate %}, {% blocktranslate %}) but missing
from locale/vi/LC_MESSAGES/django.po, or present there without a translation, fails here.
How to update the catalogues: docs/translations.md.
"""

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent.parent
LOCALE = ROOT / "locale"
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge")
UPDATE_HINT = (
    "Update the catalogues as docs/translations.md explains: "
    "DEBUG=true python manage.py makemessages -l vi -l en --ignore=.venv --ignore=bench "
    "--ignore=tests --no-location --no-obsolete, then translate locale/vi/LC_MESSAGES/django.po."
)

# %(name)s, %(count)d, %s, %d, %5.2f ("%%" is a literal percent sign, not a placeholder)
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?(?P<type>[a-zA-Z%])")
# {name}, {0}, {} (str.format); "{{" and "}}" are literal braces
BRACE = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_0-9.\[\]]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def placeholders(text: str) -> set[str]:
    found = set()
    for match in PERCENT.finditer(text):
        if match["type"] == "%":
            continue
        name = match["name"]
        found.add(f"%({name}){match['type']}" if name is not None else f"%{match['type']}")
    found.update(f"{{{match['field']}}}" for match in BRACE.finditer(text))
    return found


def catalogue(language: str, path: Path | None = None) -> polib.POFile:
    path = path or LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing. {UPDATE_HINT}"
    return polib.pofile(str(path))


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def keys(entries: Iterable[polib.POEntry]) -> set[tuple[str, str, str]]:
    return {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in entries}


def describe(found: Iterable[tuple[str, str, str]]) -> str:
    lines = []
    for context, msgid, plural in sorted(found):
        label = repr(msgid) + (f" / {plural!r}" if plural else "")
        lines.append(f"  {label}" + (f" (context {context!r})" if context else ""))
    return "\n".join(lines)


def translations_of(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# --- (a) every Vietnamese string is translated, with the same placeholders -----------------


@pytest.mark.parametrize(("language", "nplurals"), [("vi", 1), ("en", 2)])
def test_catalogue_header(language, nplurals):
    po = catalogue(language)
    assert not po.metadata_is_fuzzy, f"{language}: the header is marked fuzzy"
    assert po.metadata.get("Language") == language
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert po.metadata.get("Plural-Forms", "").startswith(f"nplurals={nplurals};")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_entry_is_fuzzy(language):
    fuzzy = [e for e in live(catalogue(language)) if "fuzzy" in e.flags]
    assert not fuzzy, (
        f"Fuzzy entries in {language} (check the translation, then remove the flag):\n"
        + describe(keys(fuzzy))
    )


def test_every_vietnamese_entry_is_translated():
    missing = [
        e for e in live(catalogue("vi")) if not all(s.strip() for s in translations_of(e) or [""])
    ]
    assert not missing, (
        f"{len(missing)} string(s) without a Vietnamese translation in "
        f"locale/vi/LC_MESSAGES/django.po:\n{describe(keys(missing))}"
    )


def test_vietnamese_plural_entries_have_one_form():
    wrong = [e for e in live(catalogue("vi")) if e.msgid_plural and sorted(e.msgstr_plural) != [0]]
    assert not wrong, "Vietnamese has one plural form (msgstr[0] only):\n" + describe(keys(wrong))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_translations_keep_the_placeholders(language):
    """English may leave msgstr empty (the English msgid is shown); a translation, if any,
    must keep every placeholder of the source."""
    problems = []
    for entry in live(catalogue(language)):
        source = placeholders(entry.msgid_plural or entry.msgid)
        for text in translations_of(entry):
            if language == "en" and not text:
                continue
            if placeholders(text) != source:
                problems.append(
                    f"  {entry.msgid!r}: source has {sorted(source)}, "
                    f"translation {text!r} has {sorted(placeholders(text))}"
                )
    assert not problems, "Placeholders differ:\n" + "\n".join(problems)


def test_placeholder_patterns():
    assert placeholders("%(start)s–%(end)s of %(total)d, 100%% %s {name} {{literal}}") == {
        "%(start)s",
        "%(end)s",
        "%(total)d",
        "%s",
        "{name}",
    }


def test_the_compiled_vietnamese_catalogue_is_up_to_date():
    """Pages show what the .po says (the .mo is compiled by `make setup`)."""
    stale = []
    with translation.override("vi"):
        for entry in live(catalogue("vi")):
            if entry.msgctxt:
                continue
            if entry.msgid_plural:
                shown = translation.ngettext(entry.msgid, entry.msgid_plural, 5)
                expected = entry.msgstr_plural.get(0, "")
            else:
                shown, expected = translation.gettext(entry.msgid), entry.msgstr
            if expected and shown != expected:  # (untranslated entries fail above)
                stale.append(f"  {entry.msgid!r}: shows {shown!r}, the .po says {expected!r}")
    assert not stale, (
        "The compiled catalogue differs from locale/vi/LC_MESSAGES/django.po; run "
        "`python -m lantoa.core.compile_messages` (or `make messages`):\n" + "\n".join(stale)
    )


# --- (b) the Vietnamese catalogue holds every string of the source --------------------------


def _require_gettext() -> None:
    absent = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if not absent:
        return
    reason = (
        f"GNU gettext is not installed ({', '.join(absent)} not found); "
        "install it (apt-get install gettext) to check the catalogue against the source"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}. CI is set, so this check may not be skipped.")
    pytest.skip(reason)


def test_vietnamese_catalogue_matches_the_source(tmp_path):
    _require_gettext()
    shutil.copytree(
        ROOT / "lantoa",
        tmp_path / "lantoa",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"),
    )
    shutil.copytree(LOCALE, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy2(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "DEBUG": "true", "LANTOA_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "--ignore=.venv",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    regenerated = keys(live(catalogue("vi", tmp_path / "locale/vi/LC_MESSAGES/django.po")))
    committed = keys(live(catalogue("vi")))
    missing = regenerated - committed
    stale = committed - regenerated
    problems = []
    if missing:
        problems.append(
            f"{len(missing)} source string(s) are not in locale/vi/LC_MESSAGES/django.po:\n"
            + describe(missing)
        )
    if stale:
        problems.append(
            f"{len(stale)} string(s) in locale/vi/LC_MESSAGES/django.po no longer occur in the "
            f"source:\n{describe(stale)}"
        )
    assert not problems, "\n".join([*problems, UPDATE_HINT])


# --- (c) English has the same strings -----------------------------------------------------


def test_english_catalogue_has_the_same_strings():
    vietnamese = keys(live(catalogue("vi")))
    english = keys(live(catalogue("en")))
    assert not vietnamese - english, "Missing from locale/en:\n" + describe(vietnamese - english)
    assert not english - vietnamese, "Missing from locale/vi:\n" + describe(english - vietnamese)
