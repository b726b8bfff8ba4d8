from __future__ import annotations

import pytest
from pydantic import BaseModel

from csstandards.errors import LexiconError
from csstandards.lexicon import (
    PhraseList,
    data_file_names,
    load_table,
    load_userdict,
    phrase_lists,
    validate_table,
)


def test_shipped_lists_load_and_validate() -> None:
    lists = phrase_lists()
    assert {"blame_shifting", "negators", "over_promise", "deflect_to_manual"} <= set(lists)
    for name, pl in lists.items():
        assert pl.name == name
        assert pl.source.startswith("lexicon/") and pl.source.endswith(".toml")
        assert pl.phrases


def test_every_shipped_file_parses() -> None:
    names = data_file_names()
    assert "reply.toml" in names and "userdict.toml" in names
    assert "补发" in load_userdict()


def test_malformed_table_names_file_key_and_problem() -> None:
    with pytest.raises(LexiconError) as info:
        validate_table(
            PhraseList, {"name": "x", "phrases": ["ok", 3]}, file="lexicon/x.toml", key="lists.x"
        )
    msg = str(info.value)
    assert "lexicon/x.toml" in msg and "lists.x.phrases.1" in msg


def test_empty_phrase_is_rejected() -> None:
    with pytest.raises(LexiconError, match="empty phrase"):
        validate_table(PhraseList, {"name": "x", "phrases": [" "]}, file="f.toml", key="lists.x")


def test_load_table_missing_key() -> None:
    class Words(BaseModel):
        words: list[str]

    assert load_table("userdict.toml", "userdict", Words).words
    with pytest.raises(LexiconError, match="missing table"):
        load_table("userdict.toml", "nope.deeper", Words)


def test_invalid_toml_names_the_source() -> None:
    from csstandards._toml import loads_toml

    with pytest.raises(LexiconError, match=r"my\.toml"):
        loads_toml("a = [", source="my.toml")
