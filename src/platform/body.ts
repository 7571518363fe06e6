// Reading a body without trusting its size: what a client sends us, or a server we called answers.

/** The stream's text, UTF-8; once more than `max` bytes have come, the stream is cancelled and `tooLarge()` thrown. */
export async function readAtMost(
  stream: ReadableStream<Uint8Array> | null | undefined,
  max: number,
  tooLarge: () => Error,
): Promise<string> {
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
