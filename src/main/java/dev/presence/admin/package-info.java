/**
 * The internal (admin) listener: health probes, Prometheus metrics and the read-only HTTP API (every session, user,
 * nickname and room of the cluster), on {@code PRESENCE_ADMIN_PORT} apart from the public {@code /ws} listener. The
 * read API needs an API key or an admin token ({@code auth.Authenticator#readAccess}); health and metrics need
 * none. Plain HTTP: the listener is for the pod network (docs/security.md).
 *
 * <p>Threading: one verticle instance; its handlers run on its event loop and never block.
 */
package dev.presence.admin;
