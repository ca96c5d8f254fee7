"""Hypothesis strategies for malformed input: valid samples broken in the ways files break."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY_CELLS = [
    "",
    " ",
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-0",
    "1e309",
    "9" * 400,
    "NaN",
    "Infinity",
    "-1",
    "0x10",
    "١٢٣",
    "2025-02-30",
    "2025-13",
    "0000-00-00",
    "\x00",
    "\ufeff",
    "'",
    '"',
    '"unterminated',
    "a,b",
    "a;b",
    "\r\n",
    "null",
    "true",
    "[]",
    "{}",
    "' OR '1'='1",
    "../../etc/passwd",
    "Ω" * 50,
    "\U0001f4a5",
]
NASTY_JSON = [
    "null", "true", "1", "-1.5e400", "\"\"", "[]", "{}", "[[]]", "{\"a\": {\"b\": []}}",
    "\"\\u0000\"", "\"\\ud800\"", "1" * 50, "[" * 50 + "]" * 50,
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, sample: str, *, json_like: bool = False) -> bytes:
    """`sample` with a few damaging edits: cells swapped for nasty values, lines dropped,
    doubled or cut, bytes inserted (invalid UTF-8 and NULs too), the file truncated."""
    text = sample
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.integers(0, 7))
        lines = text.split("\n")
        if edit == 0 and text:
            # Swap one token (between delimiters) for a nasty value.
            cut = draw(st.integers(0, len(text) - 1))
            end = cut
            while end < len(text) and text[end] not in ',;\n"{}[]:':
                end += 1
            value = draw(st.sampled_from(NASTY_JSON if json_like else NASTY_CELLS))
            text = text[:cut] + value + text[end:]
        elif edit == 1 and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
            text = "\n".join(lines)
        elif edit == 2:
            at = draw(st.integers(0, len(lines) - 1))
            lines.insert(at, lines[at])
            text = "\n".join(lines)
        elif edit == 3:
            text = text[: draw(st.integers(0, len(text)))]
        elif edit == 4:
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
        elif edit == 5:
            at = draw(st.integers(0, len(lines) - 1))
            lines[at] = lines[at] + draw(st.sampled_from([",", ",,,,", ";", "\t", ",extra"]))
            text = "\n".join(lines)
        elif edit == 6:
            text = text.replace(",", draw(st.sampled_from([";", "\t", ", ", ""])), 1)
        else:
            text = draw(st.sampled_from(NASTY_JSON if json_like else NASTY_CELLS)) + text
    data = text.encode("utf-8")
    if draw(st.booleans()) and draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = (
            data[:at]
            + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"]))
            + data[at:]
        )
    return data


def anything() -> st.SearchStrategy[bytes]:
    """Arbitrary bytes and arbitrary text: the file is not what it claims at all."""
    return st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode))


def malformed(sample: str, *, json_like: bool = False) -> st.SearchStrategy[bytes]:
    """Mostly damaged samples, sometimes plain noise."""
    return st.one_of(
        mutated(sample, json_like=json_like), mutated(sample, json_like=json_like), anything()
    )
