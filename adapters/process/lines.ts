/**
 * Splits a byte stream into lines with a size limit. A line over the limit is reported once and
 * its bytes are dropped as they come, so a peer printing 10 MB without a newline costs no memory.
 */
export interface LineSink {
  line(text: string): void;
  /** A line grew past maxBytes; its remaining bytes up to the next newline are dropped. */
  oversize(maxBytes: number): void;
}

export class LineSplitter {
  private pieces: Buffer[] = [];
  private length = 0;
  private discarding = false;

  constructor(
    private readonly maxBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      this.take(chunk.subarray(start, end));
      if (nl === -1) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  /** Bytes of an unterminated line at the end of the stream are reported as a line. */
  end(): void {
    if (this.length > 0 && !this.discarding) this.finishLine();
  }

  private take(part: Buffer): void {
    if (this.discarding || part.length === 0) return;
    if (this.length + part.length > this.maxBytes) {
      this.pieces = [];
      this.length = 0;
      this.discarding = true;
      this.sink.oversize(this.maxBytes);
      return;
    }
    this.pieces.push(part);
    this.length += part.length;
  }

  private finishLine(): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    let text = Buffer.concat(this.pieces, this.length).toString('utf8');
    this.pieces = [];
    this.length = 0;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.sink.line(text);
  }
}

/** Keeps the last `max` bytes of a stream (the implementation's stderr). */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.length - this.chunks[0].length >= this.max) {
      this.length -= this.chunks[0].length;
      this.chunks.shift();
    }
  }

  /** The tail as text, or undefined when nothing was written. */
  text(): string | undefined {
    if (this.length === 0) return undefined;
    const all = Buffer.concat(this.chunks, this.length);
    const tail = all.length > this.max ? all.subarray(all.length - this.max) : all;
    // A cut inside a multi-byte character decodes to U+FFFD at the start: harmless in a tail.
    return tail.toString('utf8');
  }
}
