import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import rawCatalogue from '../../../config/content-catalogue.json';
import { contentCatalogue, findAsset, parseContentCatalogue } from '../../../shared/capture/content-catalogue';

const assetsDir = fileURLToPath(new URL('../../../content/assets/', import.meta.url));

function withChange(mutate: (c: { assets: Record<string, unknown>[] }) => void): unknown {
  const copy = structuredClone(rawCatalogue) as unknown as { assets: Record<string, unknown>[] };
  mutate(copy);
  return copy;
}

describe('content catalogue', () => {
  it('offers one asset per funnel stage', () => {
    // Prepare
    const expected = [
      ['ebook-lead-types', 'tofu', 'ebook-lead-types.pdf'],
      ['case-study-b2b', 'mofu', 'case-study-b2b.pdf'],
      ['pricing-guide', 'bofu', 'pricing-guide.pdf'],
    ];

    // Act
    const summary = contentCatalogue.map((asset) => [asset.id, asset.funnelStage, asset.file]);

    // Assess
    expect(summary).toEqual(expected);
    for (const asset of contentCatalogue) {
      expect(asset.contentType).toBe('application/pdf');
      expect(asset.title.de).not.toBe('');
      expect(asset.title.en).not.toBe('');
      expect(asset.title.de).not.toBe(asset.title.en);
    }
  });

  it('finds assets by id and nothing else', () => {
    // Prepare
    const ids = ['pricing-guide', 'nope', 'constructor', '__proto__', ''];

    // Act
    const found = ids.map((id) => findAsset(id)?.id);

    // Assess
    expect(found).toEqual(['pricing-guide', undefined, undefined, undefined, undefined]);
  });

  it.each([
    ['a duplicate id', (c: { assets: Record<string, unknown>[] }) => (c.assets[1]!.id = 'ebook-lead-types')],
    ['an unknown funnel stage', (c: { assets: Record<string, unknown>[] }) => (c.assets[0]!.funnelStage = 'pql')],
    ['a file with a path', (c: { assets: Record<string, unknown>[] }) => (c.assets[0]!.file = '../secret.pdf')],
    ['a missing English title', (c: { assets: Record<string, unknown>[] }) => (c.assets[0]!.title = { de: 'x' })],
    ['another content type', (c: { assets: Record<string, unknown>[] }) => (c.assets[0]!.contentType = 'text/html')],
    ['an unknown key', (c: { assets: Record<string, unknown>[] }) => (c.assets[0]!.price = 10)],
    ['no assets', (c: { assets: Record<string, unknown>[] }) => (c.assets = [])],
  ])('rejects a catalogue with %s', (_label, mutate) => {
    // Prepare
    const raw = withChange(mutate);

    // Act
    const parse = () => parseContentCatalogue(raw);

    // Assess
    expect(parse).toThrow();
  });
});

describe('sample PDFs', () => {
  it.each(contentCatalogue.map((asset) => [asset.file, asset] as const))('%s is a small, well-formed one-page PDF', (file, asset) => {
    // Prepare
    const bytes = readFileSync(assetsDir + file);
    const text = bytes.toString('latin1');

    // Act
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(text)?.[1]);
    const xref = /^xref\n0 (\d+)\n((?:\d{10} \d{5} [fn] \n)+)trailer\n<<([\s\S]*?)>>/.exec(text.slice(startxref));
    const entries = xref?.[2]?.match(/.{20}/gs) ?? [];
    const streamLength = Number(/\/Length (\d+) >>\nstream\n/.exec(text)?.[1]);
    const streamStart = text.indexOf('stream\n') + 'stream\n'.length;

    // Assess
    expect(bytes.length).toBeLessThan(2048);
    expect(text.startsWith('%PDF-1.')).toBe(true);
    expect(xref).not.toBeNull();
    expect(entries).toHaveLength(Number(xref![1]));
    expect(xref![3]).toContain('/Root 1 0 R');
    entries.slice(1).forEach((entry, index) => {
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset).startsWith(`${index + 1} 0 obj\n`)).toBe(true);
    });
    expect(text.slice(streamStart + streamLength).startsWith('\nendstream')).toBe(true);
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(text).toContain(`(${asset.title.en})`);
  });
});
