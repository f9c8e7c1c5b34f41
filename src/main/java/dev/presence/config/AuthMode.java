package dev.presence.config;

/** How a node authenticates clients ({@code PRESENCE_AUTH}). */
public enum AuthMode {
  /** Every session presents a JWT; the user is its {@code sub}. The default. */
  JWT,
  /**
   * Development only: {@code hello.user} is trusted as sent. Logged loudly at start, and refused on any
   * listener other than loopback unless {@code PRESENCE_AUTH_NONE_ALLOW_REMOTE=true}.
   */
  NONE
}
