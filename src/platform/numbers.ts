// Numbers as people type them on a Japanese keyboard: the IME gives full-width digits and signs
// (３８．５, １，２３４, －１２), documents write negatives as ▲ or △, and copied cells bring spaces.
// Everything is normalised first, then checked once; no domain words here.

// A minus as typed or pasted: ASCII, full-width, the minus sign, hyphens and dashes, the katakana
// long vowel mark an IME gives for 「ー」, and the accounting triangles.
const MINUS = /^[-－−‐‑–—ー▲△]/;

/** The text with full-width digits, comma, period and spaces made ASCII, trimmed, and a leading minus as `-`. */
export function normalizeNumberText(input: string): string {
  const s = input
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[，、]/g, ',')
    .replace(/[．。]/g, '.')
    .replace(/[＋]/g, '+')
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
  return MINUS.test(s) ? `-${s.slice(1).trim()}` : s;
}

/** Thousands separated by commas in groups of three, or no commas; an optional decimal part. */
const NUMBER = /^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

/** A number as typed, or null when the text is not one (after normalising). */
export function parseNumberText(input: string): number | null {
  const s = normalizeNumberText(input);
  if (!NUMBER.test(s)) return null;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}
