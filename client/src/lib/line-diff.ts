export type LineChange = { type: 'same' | 'added' | 'removed'; text: string };

const same = (text: string): LineChange => ({ type: 'same', text });
const removed = (text: string): LineChange => ({ type: 'removed', text });
const added = (text: string): LineChange => ({ type: 'added', text });

/** Beyond this many cells (lines before × lines after) the middle is shown as replaced. */
const MAX_CELLS = 4_000_000;

/**
 * A line diff by longest common subsequence: lines only in `before` are "removed", lines only in
 * `after` "added", in reading order (removals before additions at each change). The common head
 * and tail are skipped before the O(n·m) table, so edits in long prompts stay cheap.
 */
export function diffLines(before: string, after: string): LineChange[] {
  const a = before === '' ? [] : before.split(/\r?\n/);
  const b = after === '' ? [] : after.split(/\r?\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  return [...a.slice(0, head).map(same), ...diffMiddle(midA, midB), ...a.slice(a.length - tail).map(same)];
}

function diffMiddle(a: string[], b: string[]): LineChange[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m > MAX_CELLS) return [...a.map(removed), ...b.map(added)];

  // lcs[i * (m + 1) + j]: length of the LCS of a[i..] and b[j..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push(same(a[i]!));
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      out.push(removed(a[i++]!));
    } else {
      out.push(added(b[j++]!));
    }
  }
  while (i < n) out.push(removed(a[i++]!));
  while (j < m) out.push(added(b[j++]!));
  return out;
}
