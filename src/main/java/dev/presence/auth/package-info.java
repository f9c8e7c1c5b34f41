/**
 * Authentication and authorization: JWT access tokens (vertx-auth-jwt) turned into an {@link
 * dev.presence.auth.Identity}, the role rule for kicks, the cluster-service credential, and a command that
 * mints development tokens. Transport asks; nothing here knows about WebSockets or Hazelcast.
 *
 * <p>Threading: every type is immutable and thread-safe; token verification is CPU only (no I/O) and is
 * called on the event loop of the connection or bridge socket that presents the token.
 */
package dev.presence.auth;
