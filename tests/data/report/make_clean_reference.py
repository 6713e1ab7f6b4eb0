#!/usr/bin/env python3
"""Reference outputs for mg__text_clean_n (reporters/xmlclean.c), from CPython.

CPython's UTF-8 decoder with errors='replace' substitutes U+FFFD for each maximal
subpart of an ill-formed sequence, the practice of Unicode 15 section 3.9 that the C
cleaner implements; the XML 1.0 Char production is applied on top. Each output line is
"INPUT_HEX OUTPUT_HEX FLAGS" with FLAGS 1 (MG__CLEAN_XML) or 0 (UTF-8 only). Inputs are
hand-picked edge cases plus random byte strings drawn from a fixed seed, biased towards
bytes that start or continue multi-byte sequences.

Run: python3 make_clean_reference.py > clean_reference.txt
"""
import random

XML_OK = lambda cp: (cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF
                     or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF)


def clean(data: bytes, xml: bool) -> bytes:
    text = data.decode("utf-8", errors="replace")
    if xml:
        text = "".join(c if XML_OK(ord(c)) else "\ufffd" for c in text)
    return text.encode("utf-8")


EDGE = [
    b"", b"plain ascii", "é × 😀".encode(), b"\xf4\x8f\xbf\xbf", b"\xff", b"\xc0\xaf",
    b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf", b"\xed\xa0\x80", b"\xed\x9f\xbf",
    b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x00\x01\x1f",
    b"\t\n\r", b"\x7f\xc2\x80\xc2\x9f", bytes.fromhex("61F18080E180C262806380BF64"),
    b"\xf8\x88\x80\x80\x80", b"\x80\xbf", b"\xc2", b"\xe1\x80", b"\xf1\x80\x80",
]
# byte classes: ASCII printable, controls, continuation, leads, invalid leads
POOL = (list(range(0x20, 0x7F)) + [0, 1, 9, 10, 13, 0x1B, 0x7F] * 3
        + list(range(0x80, 0xC0)) * 2 + list(range(0xC0, 0xF8)) * 3
        + list(range(0xF8, 0x100)))

rng = random.Random(20261127)
inputs = list(EDGE)
for _ in range(400):
    inputs.append(bytes(rng.choice(POOL) for _ in range(rng.randint(1, 12))))
for data in inputs:
    for xml in (1, 0):
        print(data.hex() or "-", clean(data, bool(xml)).hex() or "-", xml)
