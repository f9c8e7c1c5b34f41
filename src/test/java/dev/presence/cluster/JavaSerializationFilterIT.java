package dev.presence.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.presence.testing.EmbeddedHazelcast;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 14 §2 on the Hazelcast port: a process that reaches 5701 connects as a Hazelcast client
 * (no credential exists in the open-source edition) and puts a Java-serialized value whose {@code readObject}
 * runs code, a deserialization gadget, into {@code presence.sessions}. A member configured as the nodes are
 * ({@link HazelcastConfigFactory}) refuses to instantiate it, in a read by key and in a query (those fail:
 * a poisoned map is a denial of service until the value is deleted, which the NetworkPolicy in {@code k8s/}
 * is there to prevent, but no code of the attacker's choosing runs).
 */
class JavaSerializationFilterIT {

  private HazelcastInstance member;
  private HazelcastInstance stranger;

  @BeforeEach
  void start() {
    member = EmbeddedHazelcast.start();
    ClientConfig client = new ClientConfig().setClusterName(member.getConfig().getClusterName());
    client.getNetworkConfig().addAddress("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort());
    stranger = HazelcastClient.newHazelcastClient(client);
  }

  @AfterEach
  void stop() {
    stranger.shutdown();
    member.shutdown();
  }

  @Test
  void a_gadget_put_by_a_stranger_is_never_instantiated_by_a_member_and_the_map_still_answers() {
    Gadget.RAN.set(0);
    stranger.getMap("presence.sessions").put("gadget", new Gadget());

    IMap<String, Object> sessions = member.getMap("presence.sessions");
    assertThatThrownBy(() -> sessions.get("gadget")).hasStackTraceContaining("Gadget");
    // A query reads every value to match it, as the nodes' own session queries do.
    assertThatThrownBy(() -> List.copyOf(sessions.values(Predicates.alwaysTrue()))).hasStackTraceContaining("Gadget");

    assertThat(Gadget.RAN).as("readObject of the gadget ran").hasValue(0);
    sessions.delete("gadget");
    assertThat(sessions.values()).as("the map answers once the value is deleted").isEmpty();
  }

  /** Stands for a gadget chain: deserializing it runs code. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger RAN = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      RAN.incrementAndGet();
    }
  }
}
