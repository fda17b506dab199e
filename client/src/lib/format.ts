const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

function parse(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | null | undefined, fallback = '—'): string {
  const date = parse(value);
  return date ? dateTime.format(date) : fallback;
}

export function formatDate(value: string | null | undefined, fallback = '—'): string {
  const date = parse(value);
  return date ? dateOnly.format(date) : fallback;
}

/** "3 minutes ago", "in 6 days", "just now". */
export function formatRelative(value: string | null | undefined, fallback = '—', now = Date.now()): string {
  const date = parse(value);
  if (!date) return fallback;
  const seconds = Math.round((date.getTime() - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]?.[0], parts[parts.length - 1]?.[0]] : [parts[0]?.[0], parts[0]?.[1]];
  return letters.filter(Boolean).join('').toUpperCase() || '?';
}

const usdFormats = new Map<number, Intl.NumberFormat>();
function usd(decimals: number): Intl.NumberFormat {
  let format = usdFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    usdFormats.set(decimals, format);
  }
  return format;
}

/** Below this an amount shows as "<$0.000001" rather than as zero. */
const SMALLEST_USD = 0.000001;

/**
 * US dollars with cents, and with three significant digits for amounts under a dollar so that
 * the cost of one LLM call stays readable: 0 → "$0.00", 1234.5 → "$1,234.50", 0.5 → "$0.50",
 * 0.0123 → "$0.0123", 0.000123456 → "$0.000123".
 */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) return '—';
  const size = Math.abs(amount);
  if (size === 0) return usd(2).format(0);
  if (size >= 1) return usd(2).format(amount);
  if (size < SMALLEST_USD) return `${amount < 0 ? '-' : ''}<${usd(6).format(SMALLEST_USD)}`;
  const decimals = Math.max(2, -Math.floor(Math.log10(size)) + 2);
  // "$0.500" → "$0.50": keep significant digits, not padding, past the cents.
  return usd(decimals).format(amount).replace(/(\.\d{2}\d*?)0+$/, '$1');
}

/** A model's context size: 200000 → "200K", 1048576 → "1M", 1500000 → "1.5M". */
export function formatTokenCount(tokens: number): string {
  if (tokens >= 1_000_000) return `${Math.round(tokens / 100_000) / 10}M`;
  if (tokens >= 1_000) return `${Math.floor(tokens / 1_000)}K`;
  return String(tokens);
}

/** 850 → "850 ms", 12345 → "12.3 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
