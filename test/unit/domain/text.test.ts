import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeText, noteText, plainText } from '../../../domain/text';
import { findTextFault, hostileTextIssues, stripTextFaults } from '../../../domain/text-rules';
import { ownValue, areaOwners } from '../../../domain/units';
import { HOSTILE_CHARACTERS } from '../../helpers/hostile-text';

const wellFormedText = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((text) => findTextFault(text, true) === null);

describe('the shared text type', () => {
  it('refuses every control, bidi, lone surrogate and noncharacter wherever it stands, naming the character', () => {
    fc.assert(
      fc.property(wellFormedText, fc.constantFrom(...HOSTILE_CHARACTERS), wellFormedText, (before, hostile, after) => {
        for (const schema of [plainText({ max: 200 }), noteText()]) {
          const parsed = schema.safeParse(`x${before}${hostile}${after}x`);
          expect(parsed.success).toBe(false);
          const found = parsed.error!.issues.find((item) => item.code === 'custom');
          expect(found?.message).toMatch(/^Contains .* \(U\+[0-9A-F]{4,6}\) at position \d+; remove it$/);
          expect((found as unknown as { params: { message_vi: string } }).params.message_vi).toMatch(/^Chứa /);
        }
      }),
    );
  });

  it('accepts tab and line breaks only in multi-line text, and turns CRLF and CR into LF', () => {
    expect(noteText().parse('dòng 1\r\ndòng 2\rdòng 3\tx')).toBe('dòng 1\ndòng 2\ndòng 3\tx');
    for (const breaking of ['a\nb', 'a\rb', 'a\tb', 'a\u2028b']) expect(plainText({ max: 10 }).safeParse(breaking).success).toBe(false);
  });

  it('stores Vietnamese in NFC whatever the keyboard sent, and counts its length after composing', () => {
    const decomposed = 'Nguye\u0302\u0303n'; // "Nguyễn" typed with combining marks
    expect(plainText({ max: 6 }).parse(decomposed)).toBe('Nguyễn');
    expect(plainText({ max: 6 }).parse(decomposed)).toHaveLength(6);
  });

  it('keeps codes to ASCII letters, digits and . _ -', () => {
    for (const good of ['1', '1.2.3', 'hn-2019', 'QUAN_BA_DINH', 'constructor']) expect(codeText().safeParse(good).success).toBe(true);
    for (const bad of ['', '__proto__', 'a b', 'a"b', 'a\r\nb', '=HYPERLINK("x")', 'sở', 'a'.repeat(101)]) expect(codeText().safeParse(bad).success).toBe(false);
  });

  it('finds every hostile string and object key of a step payload with its path, and nothing in clean text', () => {
    fc.assert(
      fc.property(wellFormedText, fc.constantFrom(...HOSTILE_CHARACTERS), (clean, hostile) => {
        expect(hostileTextIssues({ summary: clean, scores: [{ note: `${clean}\n\t` }] })).toEqual([]);
        const found = hostileTextIssues({ summary: clean, scores: [{ note: `${clean}${hostile}` }], map: { [`k${hostile}`]: 1 } });
        expect(found.map((item) => item.path)).toEqual([['scores', 0, 'note'], ['map', `k${hostile}`]]);
      }),
    );
  });

  it('strips hostile characters from names it keeps, so "cv\\u202Efdp.exe" cannot pass for a PDF', () => {
    expect(stripTextFaults('cv\u202Efdp.exe')).toBe('cvfdp.exe');
    expect(stripTextFaults('a\u0000b\u2066c\ud800')).toBe('abc');
  });
});

describe('maps keyed by user data', () => {
  it('never answer an inherited member for a code such as "constructor"', () => {
    const owners = JSON.parse(JSON.stringify(areaOwners([{ unit: 'STP', areas_owned: ['2'] }]))) as Record<string, string[]>;
    expect(ownValue(owners, 'constructor')).toBeUndefined();
    expect(ownValue(owners, 'toString')).toBeUndefined();
    expect(ownValue(owners, '2')).toEqual(['STP']);
    expect(areaOwners([{ unit: 'STP', areas_owned: ['constructor'] }]).constructor).toEqual(['STP']);
  });
});
