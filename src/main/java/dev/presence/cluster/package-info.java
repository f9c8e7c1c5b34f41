/**
 * The only package that imports Hazelcast: the IMap adapters of the presence and nickname ports (async
 * calls and single-key entry processors; batched renewal with {@code submitToKeys}), the Hazelcast
 * configuration, the membership watcher, the event-bus channel, and the clustered runtime.
 *
 * <p>Threading: Hazelcast completions are handed to the caller's Vert.x context before any callback runs
 * (never on a Hazelcast or ForkJoin thread); queries without an async form run on the Vert.x worker pool;
 * entry processors run on partition threads and are tiny and pure; membership events are turned into a
 * node id and handed to a Vert.x context.
 */
package dev.presence.cluster;
