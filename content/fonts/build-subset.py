#!/usr/bin/env python3
"""Builds content/fonts/NotoSansCJKsc-Regular-subset.otf from the Debian
package fonts-noto-cjk: face "Noto Sans CJK SC" of the TTC, cut to the
characters a receipt or guide needs (GB2312 + punctuation + every character
of the shipped hall content), so the repository carries a few MB instead of
19 MB. Needs Debian's python3-fonttools. Run from the repository root:

    /usr/bin/python3 content/fonts/build-subset.py
"""
import glob
import os
import sys
import unicodedata

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
FACE = 'NotoSansCJKsc-Regular'
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, 'NotoSansCJKsc-Regular-subset.otf')

RANGES = [
    (0x20, 0x7E),      # ASCII
    (0xA0, 0xFF),      # Latin-1 (·, ×, ÷, °)
    (0x2000, 0x206F),  # general punctuation (— … ‘ ’ “ ”)
    (0x2100, 0x214F),  # letterlike (℃, №)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ)
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed numbers (① ②)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (□ ■ ● ○ △)
    (0x2600, 0x26FF),  # misc symbols (☆ ★ ☎)
    (0x2713, 0x2717),  # check marks
    (0x3000, 0x303F),  # CJK punctuation (、。〈〉《》「」【】〔〕)
    (0xFF00, 0xFFEF),  # fullwidth forms (，：；？！（）)
]


def gb2312_characters():
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode('gb2312'))
            except UnicodeDecodeError:
                pass
    return chars


def content_characters(root):
    chars = set()
    for path in glob.glob(os.path.join(root, 'content', 'hall', '*.json')):
        with open(path, encoding='utf-8') as handle:
            chars.update(handle.read())
    return chars


def main():
    root = os.path.dirname(os.path.dirname(HERE))
    chars = gb2312_characters() | content_characters(root)
    for low, high in RANGES:
        chars.update(chr(code) for code in range(low, high + 1))
    # Drop control/format/unassigned code points; keep spaces such as U+3000 (not "printable" to Python).
    chars = {c for c in chars if not unicodedata.category(c).startswith('C')}

    collection = TTCollection(SOURCE)
    font = next(f for f in collection.fonts if f['name'].getDebugName(6) == FACE)
    options = subset.Options()
    # No GSUB/GPOS: horizontal Simplified Chinese needs no substitutions, and
    # the tables (locl alternates for JP/KR/TC, vert) nearly doubled the file
    # and made pdfkit's shaping ~10x slower (500 ms → 30 ms per receipt).
    options.layout_features = []
    options.name_IDs = ['*']          # keep copyright/licence records (OFL condition 2)
    options.name_languages = ['*']
    options.hinting = False           # print and screen rendering do not need CFF hints
    options.notdef_outline = True     # a missing character prints as a visible box
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    font.save(TARGET)
    covered = sum(1 for c in chars if ord(c) in font.getBestCmap())
    print(f'{TARGET}: {os.path.getsize(TARGET)} bytes, {covered} characters', file=sys.stderr)


if __name__ == '__main__':
    main()
