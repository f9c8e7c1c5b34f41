package dev.presence.transport;

/** Close frame reasons. Pure and thread-safe. */
final class CloseReasons {

  /** RFC 6455 §5.5: a control frame's payload is at most 125 bytes, 2 of them the status code. */
  static final int MAX_BYTES = 123;

  private CloseReasons() {
  }

  /**
   * @param reason a close reason
   * @return the reason cut to 123 UTF-8 bytes on a code point boundary (RFC 6455 §5.5)
   */
  static String fit(String reason) {
    StringBuilder fitted = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + size > MAX_BYTES) {
        break;
      }
      fitted.appendCodePoint(cp);
      bytes += size;
      i += Character.charCount(cp);
    }
    return fitted.toString();
  }
}
