#!/usr/bin/env python3
"""csv → flat ODS (fods) with an A4 landscape page style scaled to one page
wide and column widths fitted to the text, as someone preparing a list for
printing would set them. Usage: fods.py in.csv out.fods"""
import csv, sys
from xml.sax.saxutils import escape

rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
ncol = max(len(r) for r in rows)
def width(s):  # full-width characters count twice
    return sum(2 if ord(c) > 0x2000 else 1 for c in s)
cols = [max(width(r[i]) if i < len(r) else 0 for r in rows) for i in range(ncol)]
styles = "".join('<style:style style:name="co%d" style:family="table-column"><style:table-column-properties style:column-width="%.2fmm"/></style:style>' % (i, 2.0 * w + 4) for i, w in enumerate(cols))
body = "".join('<table:table-column table:style-name="co%d"/>' % i for i in range(ncol))
for r in rows:
    body += "<table:table-row>" + "".join('<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % escape(c) for c in r) + "</table:table-row>"
doc = f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:font-face-decls/>
<office:styles><style:default-style style:family="table-cell"><style:text-properties style:font-name="IPAGothic" fo:font-size="9pt" style:font-name-asian="IPAGothic" style:font-size-asian="9pt"/></style:default-style></office:styles>
<office:automatic-styles>{styles}
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="297mm" fo:page-height="210mm" style:print-orientation="landscape" fo:margin-top="10mm" fo:margin-bottom="10mm" fo:margin-left="10mm" fo:margin-right="10mm" style:scale-to-X="1" style:scale-to-Y="0" loext:scale-to-X="1" loext:scale-to-Y="0"/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:spreadsheet><table:table table:name="顧客">{body}</table:table></office:spreadsheet></office:body>
</office:document>
'''
open(sys.argv[2], "w", encoding="utf-8").write(doc)
