package dev.presence.tls;

/**
 * The PEM files cannot serve TLS: unreadable, unparsable, or a key that is not the certificate's. At start the node
 * refuses to run; on a reload the pair in service stays.
 */
public final class InvalidCertificateException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** @param message names the file and the problem */
  public InvalidCertificateException(String message) {
    super(message);
  }

  /**
   * @param message names the file and the problem
   * @param cause   the parser's or the file system's exception
   */
  public InvalidCertificateException(String message, Throwable cause) {
    super(message, cause);
  }
}
