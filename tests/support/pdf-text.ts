// The text of each page of a PDF, in page order, read from the file itself: the page tree's kids, each page's
// content streams (inflated when FlateDecode), and the strings its text operators show (Tj, TJ, ' and ") in
// WinAnsi, the encoding of the standard fonts. One line per text object. Enough to check what a generated report
// says on every page; not a general PDF reader (no object streams, no embedded font encodings).
import { inflateSync } from "node:zlib";

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

// WinAnsiEncoding's bytes 0x80-0x9f that differ from Latin-1.
const winAnsi: Record<number, string> = {
  0x80: "€",
  0x82: "‚",
  0x83: "ƒ",
  0x84: "„",
  0x85: "…",
  0x86: "†",
  0x87: "‡",
  0x88: "ˆ",
  0x89: "‰",
  0x8a: "Š",
  0x8b: "‹",
  0x8c: "Œ",
  0x8e: "Ž",
  0x91: "‘",
  0x92: "’",
  0x93: "“",
  0x94: "”",
  0x95: "•",
  0x96: "–",
  0x97: "—",
  0x98: "˜",
  0x99: "™",
  0x9a: "š",
  0x9b: "›",
  0x9c: "œ",
  0x9e: "ž",
  0x9f: "Ÿ",
};
const decode = (bytes: number[]) => bytes.map((b) => winAnsi[b] ?? String.fromCharCode(b)).join("");

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString("latin1");
  const found = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\b/g;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf("endobj", start);
    const body = text.slice(start, end);
    const at = body.indexOf("stream");
    if (at < 0) {
      found.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? NaN);
    let dataStart = start + at + "stream".length;
    if (text[dataStart] === "\r") dataStart++;
    if (text[dataStart] === "\n") dataStart++;
    const raw = pdf.subarray(dataStart, dataStart + length);
    found.set(Number(match[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
    header.lastIndex = dataStart + length;
  }
  return found;
}

/** The strings a content stream shows, one line per BT … ET text object. */
export function contentText(content: string): string[] {
  const lines: string[] = [];
  for (const block of content.match(/BT\b[\s\S]*?\bET/g) ?? []) {
    let line = "";
    const strings = /<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)/g;
    for (let m = strings.exec(block); m; m = strings.exec(block)) {
      if (m[1] !== undefined) {
        const hex = m[1].replace(/\s/g, "");
        const bytes: number[] = [];
        for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2).padEnd(2, "0"), 16));
        line += decode(bytes);
      } else {
        line += decode([...m[2]!.replace(/\\([()\\])/g, "$1")].map((c) => c.charCodeAt(0)));
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Each page's text, in the order of the page tree. */
export function pdfPages(pdf: Buffer): string[] {
  const all = objects(pdf);
  const ref = (dict: string, key: string) => /(\d+) 0 R/.exec(dict.slice(dict.indexOf(key)))?.[1];
  const catalog = [...all.values()].find((o) => /\/Type\s*\/Catalog/.test(o.dict));
  if (!catalog) throw new Error("no catalog: not a PDF this reader knows");
  const pages: string[] = [];
  const walk = (id: number) => {
    const node = all.get(id);
    if (!node) throw new Error(`object ${id} is missing`);
    if (/\/Type\s*\/Pages/.test(node.dict)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node.dict)?.[1] ?? "";
      for (const kid of kids.matchAll(/(\d+) 0 R/g)) walk(Number(kid[1]));
      return;
    }
    const contents = /\/Contents\s*\[([^\]]*)\]/.exec(node.dict)?.[1] ?? ref(node.dict, "/Contents") ?? "";
    const streams = [...String(contents).matchAll(/(\d+)(?: 0 R)?/g)].map((m) => all.get(Number(m[1]))?.stream);
    pages.push(streams.map((s) => contentText(s?.toString("latin1") ?? "").join("\n")).join("\n"));
  };
  walk(Number(ref(catalog.dict, "/Pages")));
  return pages;
}
