package dev.presence.load.generator;

import io.vertx.core.http.WebSocket;

/**
 * One generated session (one WebSocket connection). Kept small on purpose: 15,000 of these live in one
 * generator. Accessed only from the generator's event loop.
 */
final class LoadSession {

  /** What the session waits for from the server, if anything. */
  enum Pending { NONE, HELLO, CLAIM, RELEASE, BYE, JOIN, LEAVE }

  /** Unique within the generator; users and nicknames are derived from it. */
  final int index;
  /** Index of the endpoint (server) it connects to. */
  final int endpoint;
  /** True for churn cycles (connect, hello, bye), false for the held population. */
  final boolean churn;
  WebSocket ws;
  /** Session id from {@code welcome}. */
  String sessionId;
  /** Nickname currently held (display form from the server), or null. */
  String nick;
  Pending pending = Pending.HELLO;
  /** {@code System.nanoTime()} when the outstanding exchange started (connect, request, cycle). */
  long startedNanos;
  /** Position in {@link SessionList}, -1 when not listed. */
  int slot = -1;
  /** Set when we reset it ourselves, so its close is not counted as the server's doing. */
  boolean resetByUs;
  /** Rooms scenario: the rooms it joins, in order (null outside it); see {@link RoomDriver}. */
  String[] rooms;
  /** Rooms scenario: how many of {@link #rooms} it has joined. */
  int roomsJoined;
  /** Rooms scenario: the room of the outstanding join or leave, or of a leave waiting for its re-join. */
  String room;
  /** Rooms scenario: out of one of its rooms until the re-join (not picked for another leave meanwhile). */
  boolean away;
  /** Who opened it and hears about its welcome and close. */
  final SessionOwner owner;

  LoadSession(int index, int endpoint, boolean churn, long startedNanos, SessionOwner owner) {
    this.index = index;
    this.endpoint = endpoint;
    this.churn = churn;
    this.startedNanos = startedNanos;
    this.owner = owner;
  }
}
