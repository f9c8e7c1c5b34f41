package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The node's budget for room frames: what it admits within it, over it, and past twice it. */
class WatchBudgetTest {

  @Test
  void within_the_budget_any_frame_goes_over_it_only_to_a_watcher_that_kept_up_and_past_twice_it_none() {
    WatchBudget budget = new WatchBudget(1_000);
    assertThat(budget.admits(500, 900)).as("within the budget").isTrue();

    budget.queued(1_200);
    assertThat(budget.admits(10, 1)).as("over it, to a watcher with frames unwritten").isFalse();
    assertThat(budget.admits(0, 800)).as("over it, to a watcher with nothing unwritten").isTrue();
    assertThat(budget.admits(0, 801)).as("that frame would pass twice the budget").isFalse();

    budget.queued(800);
    assertThat(budget.admits(0, 0)).as("at twice the budget").isTrue();
    budget.queued(1);
    assertThat(budget.admits(0, 0)).as("past twice the budget").isFalse();

    budget.written(1_001);
    assertThat(budget.queuedBytes()).isEqualTo(1_000);
    assertThat(budget.admits(10, 1)).as("written back down to the budget").isTrue();
  }
}
