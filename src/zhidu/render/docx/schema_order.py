"""The child order ISO/IEC 29500-1 (ECMA-376 Part 1) prescribes for the WordprocessingML elements zhidu writes.

LibreOffice forgives misordered children; Word reports the file as having "unreadable content". `SEQUENCES`
lists, for every complex type a zhidu document holds (document.xml, styles.xml, settings.xml, numbering.xml,
fontTable.xml, headers and footers), the schema's xsd:sequence of child elements, transcribed from the schema
(wml.xsd) with the section of the standard; names joined by "|" share a place (an xsd:choice). `MIXED` gives
the types whose content is open (a paragraph's runs, a cell's blocks) the children they must lead or end with.
`set_child` inserts by `SEQUENCES`; `order_problems` checks a whole part.
"""

from __future__ import annotations

from functools import cache
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: Prefixes of the other namespaces that appear in WordprocessingML sequences (settings' m:mathPr).
PREFIXES = {
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
    "http://schemas.openxmlformats.org/schemaLibrary/2006/main": "sl",
    "http://schemas.microsoft.com/office/word/2010/wordml": "w14",
    "http://schemas.microsoft.com/office/word/2012/wordml": "w15",
}

_RPR_BASE = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]

SEQUENCES: dict[str, list[str]] = {
    # 17.2.3 document, 17.7.2 styles (docDefaults, latentStyles), 17.7.4.17 style.
    "w:document": ["background", "body"],
    "w:styles": ["docDefaults", "latentStyles", "style"],
    "w:docDefaults": ["rPrDefault", "pPrDefault"],
    "w:rPrDefault": ["rPr"],
    "w:pPrDefault": ["pPr"],
    "w:latentStyles": ["lsdException"],
    "w:style": [
        "name",
        "aliases",
        "basedOn",
        "next",
        "link",
        "autoRedefine",
        "hidden",
        "uiPriority",
        "semiHidden",
        "unhideWhenUsed",
        "qFormat",
        "locked",
        "personal",
        "personalCompose",
        "personalReply",
        "rsid",
        "pPr",
        "rPr",
        "tblPr",
        "trPr",
        "tcPr",
        "tblStylePr",
    ],
    # 17.3.1.26 pPr (CT_PPrBase, then rPr, sectPr, pPrChange).
    "w:pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ],
    # 17.3.2.28 rPr; a paragraph mark's rPr (17.3.1.29) starts with the revision marks.
    "w:rPr": ["ins", "del", "moveFrom", "moveTo", *_RPR_BASE, "rPrChange"],
    # 17.3.1.24 pBdr, 17.3.1.37 tabs, 17.9.18 numPr.
    "w:pBdr": ["top", "left", "bottom", "right", "between", "bar"],
    "w:tabs": ["tab"],
    "w:numPr": ["ilvl", "numId", "numberingChange", "ins"],
    # 17.6.17 sectPr: header and footer references in any order first (xsd:choice).
    "w:sectPr": [
        "headerReference|footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    ],
    "w:cols": ["col"],
    # 17.4.38 tbl (then rows, see MIXED), 17.4.49 tblGrid, 17.4.60 tblPr, 17.4.39/17.4.43 borders and margins.
    "w:tblGrid": ["gridCol", "tblGridChange"],
    "w:tblPr": [
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ],
    "w:tblBorders": ["top", "left|start", "bottom", "right|end", "insideH", "insideV"],
    "w:tblCellMar": ["top", "left|start", "bottom", "right|end"],
    # 17.4.82 trPr: its base is an xsd:choice, any order; zhidu keeps this one.
    "w:trPr": [
        "cnfStyle",
        "divId",
        "gridBefore",
        "gridAfter",
        "wBefore",
        "wAfter",
        "cantSplit",
        "trHeight",
        "tblHeader",
        "tblCellSpacing",
        "jc",
        "hidden",
        "ins",
        "del",
        "trPrChange",
    ],
    # 17.4.70 tcPr, 17.4.67 tcBorders, 17.4.68 tcMar.
    "w:tcPr": [
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
        "headers",
        "cellIns",
        "cellDel",
        "cellMerge",
        "tcPrChange",
    ],
    "w:tcBorders": ["top", "left|start", "bottom", "right|end", "insideH", "insideV", "tl2br", "tr2bl"],
    "w:tcMar": ["top", "left|start", "bottom", "right|end"],
    # 17.9 numbering: abstractNum, lvl, num, lvlOverride.
    "w:numbering": ["numPicBullet", "abstractNum", "num", "numIdMacAtCleanup"],
    "w:abstractNum": ["nsid", "multiLevelType", "tmpl", "name", "styleLink", "numStyleLink", "lvl"],
    "w:lvl": [
        "start",
        "numFmt",
        "lvlRestart",
        "pStyle",
        "isLgl",
        "suff",
        "lvlText",
        "lvlPicBulletId",
        "legacy",
        "lvlJc",
        "pPr",
        "rPr",
    ],
    "w:num": ["abstractNumId", "lvlOverride"],
    "w:lvlOverride": ["startOverride", "lvl"],
    # 17.8.3 fonts (fontTable.xml).
    "w:fonts": ["font"],
    "w:font": [
        "altName",
        "panose1",
        "charset",
        "family",
        "notTrueType",
        "pitch",
        "sig",
        "embedRegular",
        "embedBold",
        "embedItalic",
        "embedBoldItalic",
    ],
    # 17.15.1.78 settings, 17.15.1.21 compat, 17.15.1.72 rsids.
    "w:settings": [
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
        "embedTrueTypeFonts",
        "embedSystemFonts",
        "saveSubsetFonts",
        "saveFormsData",
        "mirrorMargins",
        "alignBordersAndEdges",
        "bordersDoNotSurroundHeader",
        "bordersDoNotSurroundFooter",
        "gutterAtTop",
        "hideSpellingErrors",
        "hideGrammaticalErrors",
        "activeWritingStyle",
        "proofState",
        "formsDesign",
        "attachedTemplate",
        "linkStyles",
        "stylePaneFormatFilter",
        "stylePaneSortMethod",
        "documentType",
        "mailMerge",
        "revisionView",
        "trackRevisions",
        "doNotTrackMoves",
        "doNotTrackFormatting",
        "documentProtection",
        "autoFormatOverride",
        "styleLockTheme",
        "styleLockQFSet",
        "defaultTabStop",
        "autoHyphenation",
        "consecutiveHyphenLimit",
        "hyphenationZone",
        "doNotHyphenateCaps",
        "showEnvelope",
        "summaryLength",
        "clickAndTypeStyle",
        "defaultTableStyle",
        "evenAndOddHeaders",
        "bookFoldRevPrinting",
        "bookFoldPrinting",
        "bookFoldPrintingSheets",
        "drawingGridHorizontalSpacing",
        "drawingGridVerticalSpacing",
        "displayHorizontalDrawingGridEvery",
        "displayVerticalDrawingGridEvery",
        "doNotUseMarginsForDrawingGridOrigin",
        "drawingGridHorizontalOrigin",
        "drawingGridVerticalOrigin",
        "doNotShadeFormData",
        "noPunctuationKerning",
        "characterSpacingControl",
        "printTwoOnOne",
        "strictFirstAndLastChars",
        "noLineBreaksAfter",
        "noLineBreaksBefore",
        "savePreviewPicture",
        "doNotValidateAgainstSchema",
        "saveInvalidXml",
        "ignoreMixedContent",
        "alwaysShowPlaceholderText",
        "doNotDemarcateInvalidXml",
        "saveXmlDataOnly",
        "useXSLTWhenSaving",
        "saveThroughXslt",
        "showXMLTags",
        "alwaysMergeEmptyNamespace",
        "updateFields",
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "m:mathPr",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "sl:schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    ],
    "w:compat": [
        "useSingleBorderforContiguousCells",
        "wpJustification",
        "noTabHangInd",
        "noLeading",
        "spaceForUL",
        "noColumnBalance",
        "balanceSingleByteDoubleByteWidth",
        "noExtraLineSpacing",
        "doNotLeaveBackslashAlone",
        "ulTrailSpace",
        "doNotExpandShiftReturn",
        "spacingInWholePoints",
        "lineWrapLikeWord6",
        "printBodyTextBeforeHeader",
        "printColBlack",
        "wpSpaceWidth",
        "showBreaksInFrames",
        "subFontBySize",
        "suppressBottomSpacing",
        "suppressTopSpacing",
        "suppressSpacingAtTopOfPage",
        "suppressTopSpacingWP",
        "suppressSpBfAfterPgBrk",
        "swapBordersFacingPages",
        "convMailMergeEsc",
        "truncateFontHeightsLikeWP6",
        "mwSmallCaps",
        "usePrinterMetrics",
        "doNotSuppressParagraphBorders",
        "wrapTrailSpaces",
        "footnoteLayoutLikeWW8",
        "shapeLayoutLikeWW8",
        "alignTablesRowByRow",
        "forgetLastTabAlignment",
        "adjustLineHeightInTable",
        "autoSpaceLikeWord95",
        "noSpaceRaiseLower",
        "doNotUseHTMLParagraphAutoSpacing",
        "layoutRawTableWidth",
        "layoutTableRowsApart",
        "useWord97LineBreakRules",
        "doNotBreakWrappedTables",
        "doNotSnapToGridInCell",
        "selectFldWithFirstOrLastChar",
        "applyBreakingRules",
        "doNotWrapTextWithPunct",
        "doNotUseEastAsianBreakRules",
        "useWord2002TableStyleRules",
        "growAutofit",
        "useFELayout",
        "useNormalStyleForList",
        "doNotUseIndentAsNumberingTabStop",
        "useAltKinsokuLineBreakRules",
        "allowSpaceOfSameStyleInTable",
        "doNotSuppressIndentation",
        "doNotAutofitConstrainedTables",
        "autofitToFirstFixedWidthCell",
        "underlineTabInNumList",
        "displayHangulFixedWidth",
        "splitPgBreakAndParaMark",
        "doNotVertAlignCellWithSp",
        "doNotBreakConstrainedForcedTable",
        "doNotVertAlignInTxbx",
        "useAnsiKerningPairs",
        "cachedColBalance",
        "compatSetting",
    ],
    "w:rsids": ["rsidRoot", "rsid"],
    "w:webSettings": [
        "frameset",
        "divs",
        "encoding",
        "optimizeForBrowser",
        "relyOnVML",
        "allowPNG",
        "doNotRelyOnCSS",
        "doNotSaveAsSingleFile",
        "doNotOrganizeInFolder",
        "doNotUseLongFileNames",
        "pixelsPerInch",
        "targetScreenSz",
        "saveSmartTagsAsXml",
    ],
}

#: Block-level content (EG_BlockLevelElts with the range markup zhidu could meet).
_BLOCK = ("p", "tbl", "sdt", "customXml", "altChunk", "bookmarkStart", "bookmarkEnd", "proofErr")
#: Types with open content: (children that lead, in this order; children that may follow; children that end).
MIXED: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "w:body": ((), _BLOCK, ("sectPr",)),
    "w:hdr": ((), _BLOCK, ()),
    "w:ftr": ((), _BLOCK, ()),
    "w:tc": (("tcPr",), _BLOCK, ()),
    "w:tbl": (("tblPr", "tblGrid"), ("tr", "bookmarkStart", "bookmarkEnd", "sdt", "customXml"), ()),
    "w:tr": (("tblPrEx", "trPr"), ("tc", "bookmarkStart", "bookmarkEnd", "sdt", "customXml"), ()),
    "w:p": (
        ("pPr",),
        ("r", "hyperlink", "fldSimple", "bookmarkStart", "bookmarkEnd", "proofErr", "ins", "del", "smartTag"),
        (),
    ),
    "w:r": (
        ("rPr",),
        ("t", "tab", "br", "cr", "fldChar", "instrText", "noBreakHyphen", "softHyphen", "sym", "ptab"),
        (),
    ),
}


def key(el: Any) -> str:
    """An element's name as the tables write it: "pPr" for w:pPr, "m:mathPr" for the math namespace."""
    tag: str = el.tag
    ns, _, local = tag[1:].partition("}")
    if ns == W_NS:
        return local
    return f"{PREFIXES.get(ns, '{' + ns + '}')}:{local}"


@cache
def ranks(parent: str) -> dict[str, int] | None:
    """Child name → place in the sequence of `parent` ("w:pPr"); None where the schema's order is not listed."""
    order = SEQUENCES.get(parent)
    if order is None:
        return None
    return {name: i for i, names in enumerate(order) for name in names.split("|")}


def _extension(name: str) -> bool:
    """Children in a namespace of a later Office version (w14:docId): they go after the schema's own."""
    return ":" in name and not name.startswith(("m:", "sl:"))


def order_problems(root: Any) -> list[str]:
    """Every element of a WordprocessingML part whose children break the schema's order, as one line each:
    the element's path, the children found and what is wrong. Empty when Word would accept the order."""
    out: list[str] = []
    tree = root.getroottree()
    for el in root.iter():
        if not isinstance(el.tag, str) or len(el) == 0:
            continue
        parent = "w:" + key(el)
        names = [key(c) for c in el if isinstance(c.tag, str)]
        where = tree.getpath(el)
        rank = ranks(parent)
        if rank is not None:
            places = []
            for i, n in enumerate(names):
                if n in rank:
                    places.append(rank[n])
                elif _extension(n):
                    places.append(len(SEQUENCES[parent]))
                else:
                    out.append(f"{where}: <{n}> is no child of {parent} (position {i})")
            if places != sorted(places):
                out.append(f"{where}: children out of schema order: {names}")
        elif parent in MIXED:
            lead, middle, tail = MIXED[parent]
            i = 0
            for want in lead:
                if i < len(names) and names[i] == want:
                    i += 1
            end = len(names)
            for want in reversed(tail):
                if end > i and names[end - 1] == want:
                    end -= 1
            for n in names[i:end]:
                if n not in middle:
                    out.append(f"{where}: <{n}> out of place in {parent}: {names}")
                    break
            if parent == "w:tc" and (not names or names[-1] != "p"):
                # 17.4.66: a cell ends with a paragraph; Word rejects one that does not.
                out.append(f"{where}: a table cell must end with a paragraph: {names}")
    return out
