/** One of each kind of character no typed text may hold (domain/text-rules.ts): C0, C1, bidi, lone surrogates, noncharacters. */
export const HOSTILE_CHARACTERS = [
  '\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c',
  '\ud800', '\udfff', '\ufdd0', '\ufffe', '\uffff', '\u{1fffe}', '\u{10ffff}',
];
