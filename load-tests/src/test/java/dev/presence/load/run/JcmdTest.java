package dev.presence.load.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JcmdTest {

  @Test
  void the_young_regions_filled_since_a_full_collection_are_left_out_of_what_it_kept() {
    String info = """
        12345:
         garbage-first heap   total 741376K, used 230483K [0x0000000080000000, 0x0000000100000000)
          region size 1024K, 10 young (10240K), 0 survivors (0K)
         Metaspace       used 52575K, committed 53120K, reserved 1114112K
        """;

    assertEquals((230_483L - 10_240L) * 1024, Jcmd.keptByCollection(info));
  }

  @Test
  void without_a_young_line_the_used_heap_is_taken_as_it_is() {
    assertEquals(1234L * 1024, Jcmd.keptByCollection(" heap total 9216K, used 1234K [0x0, 0x1)"));
    assertEquals(-1, Jcmd.keptByCollection("no heap here"));
  }

  @Test
  void the_compile_time_is_the_jit_counter_in_ticks_over_the_tick_frequency() {
    String counters = """
        12345:
        java.ci.totalTime=2500000000
        sun.ci.totalCompiles=670
        sun.os.hrt.frequency=1000000000
        """;

    assertEquals(2_500, Jcmd.compileMillisOf(counters));
    assertEquals(-1, Jcmd.compileMillisOf("12345:\nsun.ci.totalCompiles=670\n"));
  }
}
