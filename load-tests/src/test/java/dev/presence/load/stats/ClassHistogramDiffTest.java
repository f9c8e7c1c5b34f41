package dev.presence.load.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassHistogramDiffTest {

  private static final String BEFORE = """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          1000          80000  [B (java.base@17.0.12)
         2:           500          12000  java.lang.String (java.base@17.0.12)
         3:            10            400  gone.Thing
      Total          1510          92400
      """;

  private static final String AFTER = """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          3000         240000  [B (java.base@17.0.12)
         2:           600          14400  java.lang.String (java.base@17.0.12)
         3:           100           4000  dev.presence.rooms.RoomFeed
      Total          3700         258400
      """;

  @Test
  void lists_the_largest_growth_first_with_bytes_per_item_and_the_total() {
    String text = ClassHistogramDiff.diff(BEFORE, AFTER, 2, 100);
    String[] lines = text.split("\n");
    assertTrue(lines[1].contains("160,000") && lines[1].contains("[B") && lines[1].contains("1,600"), text);
    assertTrue(lines[2].contains("4,000") && lines[2].contains("RoomFeed"), text);
    // 160,000 + 2,400 + 4,000 − 400 (a class that is gone)
    assertTrue(lines[3].contains("166,000") && lines[3].contains("every class"), text);
  }

  @Test
  void totals_every_listed_class() {
    assertTrue(ClassHistogramDiff.totalBytes(AFTER) == 258_400L);
    assertTrue(ClassHistogramDiff.totalBytes(BEFORE) == 92_400L);
  }
}
