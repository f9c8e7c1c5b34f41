/**
 * Authentication and authorization: JWT access tokens (vertx-auth-jwt) turned into an {@link
 * dev.presence.auth.Identity}, the keys they are verified with (a secret, a PEM key, or an identity provider's key
 * set fetched over HTTP and cached), the role rule for kicks, the cluster-service credential, and a command that
 * mints development tokens. Transport asks; nothing here knows about WebSockets or Hazelcast.
 *
 * <p>Threading: every type is thread-safe. Token verification is called on the event loop of the connection or
 * bridge socket that presents the token and answers there; it is CPU only, except that a token naming a key the
 * node has not fetched yet waits, off the event loop, for one fetch of the key set ({@code JwksKeys}), whose HTTP
 * I/O runs on the JDK HTTP client's threads.
 */
package dev.presence.auth;
