/**
 * Node settings: one validated, immutable record and the loader that reads {@code PRESENCE_*}
 * environment variables (the only code that reads the environment). Thread-safe; used at start.
 */
package dev.presence.config;
