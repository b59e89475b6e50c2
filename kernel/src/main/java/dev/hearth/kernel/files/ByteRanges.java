package dev.hearth.kernel.files;

/** One HTTP byte range ({@code Range: bytes=a-b}, {@code a-}, {@code -n}) over a content of known size. */
final class ByteRanges {

  private ByteRanges() {}

  record Range(long offset, long length, boolean partial) {}

  /** A range outside the content: answered 416 with the size. */
  static final class Unsatisfiable extends Exception {
    final long size;

    Unsatisfiable(long size) {
      super(null, null, false, false);
      this.size = size;
    }
  }

  /**
   * The range to send; the whole content when there is no header, or one this server does not
   * serve (several ranges, other units), which RFC 9110 allows it to ignore.
   */
  static Range parse(String header, long size) throws Unsatisfiable {
    Range whole = new Range(0, size, false);
    if (header == null) return whole;
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) return whole;
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) return whole;
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long n = Long.parseLong(b);
        if (n <= 0 || size == 0) throw new Unsatisfiable(size);
        long len = Math.min(n, size);
        return new Range(size - len, len, true);
      }
      long start = Long.parseLong(a);
      if (start >= size) throw new Unsatisfiable(size);
      long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      if (end < start) return whole;
      return new Range(start, end - start + 1, true);
    } catch (NumberFormatException e) {
      return whole;
    }
  }
}
