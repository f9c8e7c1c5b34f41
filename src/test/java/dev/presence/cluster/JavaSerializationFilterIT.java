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
 * ({@link HazelcastConfigFactory}) refuses to instantiate it: the put fails to its sender when the map is indexed
 * (the index reads every value stored; the binary value stays, and even its deletion needs the old value for the
 * index), and reads by key and queries fail. A poisoned map is a denial of service, which the NetworkPolicy in
 * {@code k8s/} is there to prevent, but no code of the attacker's choosing runs.
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
  void a_gadget_put_into_an_indexed_map_is_refused_to_its_sender_and_never_instantiated() {
    Gadget.RAN.set(0);

    // The sessions map is indexed (user, rooms): storing a value means reading it for the index.
    assertThatThrownBy(() -> stranger.getMap(ClusterNames.PRESENCE_MAP).put("gadget", new Gadget()))
        .hasStackTraceContaining("not allowed");

    IMap<String, Object> sessions = member.getMap(ClusterNames.PRESENCE_MAP);
    assertThatThrownBy(() -> sessions.get("gadget")).hasStackTraceContaining("not allowed");
    assertThat(Gadget.RAN).as("readObject of the gadget ran").hasValue(0);
  }

  @Test
  void a_gadget_stored_in_an_unindexed_map_is_never_instantiated_by_a_member_and_the_map_answers_once_deleted() {
    Gadget.RAN.set(0);
    stranger.getMap(ClusterNames.LAST_SEEN_MAP).put("gadget", new Gadget());

    IMap<String, Object> lastSeen = member.getMap(ClusterNames.LAST_SEEN_MAP);
    assertThatThrownBy(() -> lastSeen.get("gadget")).hasStackTraceContaining("Gadget");
    // A query reads every value to match it, as the nodes' own queries do.
    assertThatThrownBy(() -> List.copyOf(lastSeen.values(Predicates.alwaysTrue()))).hasStackTraceContaining("Gadget");

    assertThat(Gadget.RAN).as("readObject of the gadget ran").hasValue(0);
    lastSeen.delete("gadget");
    assertThat(lastSeen.values()).as("the map answers once the value is deleted").isEmpty();
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
