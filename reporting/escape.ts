/**
 * Escaping for every report format. Implementation-supplied text (names, versions, stderr, reasons,
 * trace results) goes through one of these before it reaches a file: nothing the implementation
 * says may become markup, and nothing may make an XML file unparseable.
 */

/**
 * Control characters other than tab, newline and carriage return (ANSI escapes in stderr, NULs)
 * shown as `\x1b`: XML 1.0 forbids them and a terminal would interpret them. Lone surrogates and
 * U+FFFE/U+FFFF are not XML characters either.
 */
export function visibleText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) =>
    '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'),
  );
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text content and attribute values alike (both quote kinds escaped). */
export function escapeHtml(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => htmlEntities[c]);
}

/** Same entities as HTML; also valid in XML attributes and text. */
export function escapeXml(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => htmlEntities[c]);
}

/**
 * For a Markdown table cell: HTML-escaped (GitHub renders inline HTML), Markdown punctuation
 * backslash-escaped, pipes escaped, line breaks as spaces.
 */
export function escapeMarkdown(text: string): string {
  // One pass, so that the entities made here are not escaped again.
  return visibleText(text.replace(/\s*[\r\n]+\s*/g, ' ')).replace(/[&<>"]|[\\`*_{}[\]()#+!|~]/g, (c) =>
    htmlEntities[c] ?? '\\' + c,
  );
}

/** One line for a terminal or a text file: control characters visible, whitespace runs collapsed. */
export function oneLine(text: string, max = 200): string {
  const line = visibleText(text.replace(/\s+/g, ' ').trim());
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

/** A fragment identifier from arbitrary text: only [A-Za-z0-9_-]; stable for the same input. */
export function anchorSlug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_');
}
