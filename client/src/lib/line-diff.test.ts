import { describe, expect, it } from 'vitest';
import { diffLines, type LineChange } from './line-diff';

const render = (changes: LineChange[]) => changes.map((c) => `${{ same: ' ', added: '+', removed: '-' }[c.type]}${c.text}`);

describe('diffLines', () => {
  it('reports identical texts as unchanged', () => {
    expect(render(diffLines('a\nb', 'a\nb'))).toEqual([' a', ' b']);
  });

  it('finds a changed line between unchanged ones', () => {
    expect(render(diffLines('You are kind.\nAnswer briefly.\nSign as Bot.', 'You are kind.\nAnswer in detail.\nSign as Bot.'))).toEqual([
      ' You are kind.',
      '-Answer briefly.',
      '+Answer in detail.',
      ' Sign as Bot.',
    ]);
  });

  it('keeps the longest common subsequence when lines move', () => {
    const changes = diffLines('a\nb\nc\nd', 'b\nc\na\nd');
    expect(render(changes)).toEqual(['-a', ' b', ' c', '+a', ' d']);
    expect(changes.filter((c) => c.type === 'same')).toHaveLength(3);
  });

  it('handles additions and removals at the ends and empty texts', () => {
    expect(render(diffLines('', 'one\ntwo'))).toEqual(['+one', '+two']);
    expect(render(diffLines('one\ntwo', ''))).toEqual(['-one', '-two']);
    expect(render(diffLines('x', 'x\ny'))).toEqual([' x', '+y']);
    expect(render(diffLines('head\nx', 'x'))).toEqual(['-head', ' x']);
  });

  it('treats Windows line endings like Unix ones', () => {
    expect(render(diffLines('a\r\nb', 'a\nb'))).toEqual([' a', ' b']);
  });

  it('rebuilds both texts from its output', () => {
    const before = Array.from({ length: 60 }, (_, i) => `line ${i % 7}`).join('\n');
    const after = Array.from({ length: 55 }, (_, i) => `line ${(i * 3) % 5}`).join('\n');
    const changes = diffLines(before, after);
    expect(changes.filter((c) => c.type !== 'added').map((c) => c.text).join('\n')).toBe(before);
    expect(changes.filter((c) => c.type !== 'removed').map((c) => c.text).join('\n')).toBe(after);
  });
});
