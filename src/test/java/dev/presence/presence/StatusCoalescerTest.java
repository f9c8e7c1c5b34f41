package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.presence.presence.StatusCoalescer.Offer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Status coalescing as stories, with time passed in (a manual clock: no timers, no sleeping). */
class StatusCoalescerTest {

  static final long T = 5_000_000;
  static final long INTERVAL = 1_000;

  static SessionStatus status(Availability availability, String text) {
    return new SessionStatus(availability, text == null ? null : "{\"text\":\"" + text + "\"}", false);
  }

  static final SessionStatus AWAY = status(Availability.AWAY, "lunch");
  static final SessionStatus DND = status(Availability.DND, "meeting");
  static final SessionStatus ONLINE = status(Availability.ONLINE, null);

  @Test
  void the_first_status_is_published_at_once_and_so_is_one_after_a_quiet_interval() {
    StatusCoalescer coalescer = new StatusCoalescer(INTERVAL);

    assertThat(coalescer.offer(AWAY, T)).isEqualTo(Offer.PUBLISH_NOW);
    assertThat(coalescer.flushDueAt()).as("nothing held back").isEqualTo(-1);
    assertThat(coalescer.offer(DND, T + INTERVAL)).as("exactly one interval later").isEqualTo(Offer.PUBLISH_NOW);
    assertThat(coalescer.offer(ONLINE, T + 10 * INTERVAL)).isEqualTo(Offer.PUBLISH_NOW);
  }

  @Test
  void changes_within_the_interval_are_held_back_the_last_one_wins_and_goes_out_when_the_interval_ends() {
    StatusCoalescer coalescer = new StatusCoalescer(INTERVAL);
    coalescer.offer(ONLINE, T);

    assertThat(coalescer.offer(AWAY, T + 100)).isEqualTo(Offer.SCHEDULE_FLUSH);
    assertThat(coalescer.flushDueAt()).isEqualTo(T + INTERVAL);
    assertThat(coalescer.offer(DND, T + 200)).isEqualTo(Offer.REPLACED);
    assertThat(coalescer.offer(AWAY, T + 300)).isEqualTo(Offer.REPLACED);
    assertThat(coalescer.takeDue(T + INTERVAL - 1)).as("not due yet").isEmpty();
    assertThat(coalescer.flushDueAt()).as("still held").isEqualTo(T + INTERVAL);

    assertThat(coalescer.takeDue(T + INTERVAL)).contains(AWAY);
    assertThat(coalescer.flushDueAt()).isEqualTo(-1);
    assertThat(coalescer.takeDue(T + 5 * INTERVAL)).as("taken once").isEmpty();
  }

  @Test
  void the_interval_counts_from_the_last_publish_so_a_late_flush_does_not_let_the_next_one_through_early() {
    StatusCoalescer coalescer = new StatusCoalescer(INTERVAL);
    coalescer.offer(ONLINE, T);
    coalescer.offer(AWAY, T + 10);
    long lateFlush = T + INTERVAL + 400; // the event loop was busy
    assertThat(coalescer.takeDue(lateFlush)).contains(AWAY);

    assertThat(coalescer.offer(DND, T + 2 * INTERVAL)).as("only 600 ms after the last publish")
        .isEqualTo(Offer.SCHEDULE_FLUSH);
    assertThat(coalescer.flushDueAt()).isEqualTo(lateFlush + INTERVAL);
  }

  @Test
  void a_flood_of_twenty_statuses_a_second_publishes_one_a_second_and_always_the_latest() {
    StatusCoalescer coalescer = new StatusCoalescer(INTERVAL);
    List<Long> publishedAt = new ArrayList<>();
    List<SessionStatus> published = new ArrayList<>();
    SessionStatus last = null;
    for (int i = 0; i < 200; i++) { // 10 s at 20/s
      long now = T + i * 50L;
      Optional<SessionStatus> due = coalescer.takeDue(now); // the flush timer, fired on time
      due.ifPresent(s -> {
        publishedAt.add(now);
        published.add(s);
      });
      last = status(Availability.AWAY, "flood " + i);
      if (coalescer.offer(last, now) == Offer.PUBLISH_NOW) {
        publishedAt.add(now);
        published.add(last);
      }
    }
    long end = coalescer.flushDueAt();
    coalescer.takeDue(end).ifPresent(s -> {
      publishedAt.add(end);
      published.add(s);
    });

    assertThat(published).hasSizeBetween(10, 11).last().isEqualTo(last);
    for (int i = 1; i < publishedAt.size(); i++) {
      assertThat(publishedAt.get(i) - publishedAt.get(i - 1)).as("gap before publish %d", i)
          .isGreaterThanOrEqualTo(INTERVAL);
    }
  }

  @Test
  void a_connection_that_ends_with_a_status_held_back_hands_it_over_once() {
    StatusCoalescer coalescer = new StatusCoalescer(INTERVAL);
    assertThat(coalescer.takePending()).isEmpty();
    coalescer.offer(ONLINE, T);
    coalescer.offer(DND, T + 1);

    assertThat(coalescer.takePending()).contains(DND);
    assertThat(coalescer.takePending()).isEmpty();
    assertThat(coalescer.takeDue(T + INTERVAL)).isEmpty();
  }

  @Test
  void an_interval_below_one_millisecond_is_refused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new StatusCoalescer(0));
  }
}
