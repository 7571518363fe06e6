// Text files as offices send them. Excel in Japan saves CSV as Shift_JIS (Windows code page 932,
// CP932); newer versions and other tools write UTF-8, with or without a byte-order mark. A file
// that is valid UTF-8 is UTF-8 (a CP932 text of any length with Japanese in it almost never is);
// anything else is read as CP932. Node's ICU has the WHATWG `shift_jis` decoder, which is CP932
// (NEC and IBM extensions, ～ as U+FF5E), so no extra package is needed.

export type TextEncoding = 'utf-8' | 'shift_jis';

/** The encoding of these bytes: UTF-8 when they are valid UTF-8 (BOM or not), otherwise CP932. */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'shift_jis';
  }
}

/** The text of a file, decoded by detectEncoding, without a byte-order mark. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const encoding = detectEncoding(bytes);
  // ignoreBOM false (the default) drops a UTF-8 BOM.
  return { text: new TextDecoder(encoding).decode(bytes), encoding };
}
