package dev.presence.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The file layer of the configuration (vertx-config): overrides the defaults; a bad file stops the node. */
@ExtendWith(VertxExtension.class)
class ConfigFileTest {

  @TempDir
  Path dir;

  @Test
  void a_json_file_overrides_the_defaults_with_numbers_or_strings(Vertx vertx) throws Exception {
    Path file = write("{\"PRESENCE_AUTH\":\"none\",\"PRESENCE_CLUSTER_MODE\":\"tcp\",\"PRESENCE_HZ_MEMBERS\":\"10.1.1.1,10.1.1.2\","
        + "\"PRESENCE_NICK_GRACE_MS\":90000,\"PRESENCE_WHO_LIMIT\":\"250\"}");

    PresenceConfig config = load(vertx, file);

    assertThat(config.cluster().mode()).isEqualTo(ClusterMode.TCP);
    assertThat(config.cluster().members()).isEqualTo("10.1.1.1,10.1.1.2");
    assertThat(config.nickGraceMs()).isEqualTo(90_000);
    assertThat(config.whoLimit()).isEqualTo(250);
    assertThat(config.heartbeatTimeoutMs()).as("untouched default").isEqualTo(30_000);
  }

  @Test
  void an_invalid_value_in_the_file_fails_with_a_message_naming_the_setting(Vertx vertx) throws Exception {
    Path file = write("{\"PRESENCE_AUTH\":\"none\",\"PRESENCE_NICK_GRACE_MS\":-5}");
    assertThat(failure(vertx, file)).contains("PRESENCE_NICK_GRACE_MS");
  }

  @Test
  void an_unknown_key_in_the_file_fails_so_a_typo_is_not_silently_ignored(Vertx vertx) throws Exception {
    Path file = write("{\"PRESENCE_HEARTBEAT_TIMEOUT\":5000}");
    assertThat(failure(vertx, file)).contains("unknown setting PRESENCE_HEARTBEAT_TIMEOUT");
  }

  @Test
  void a_missing_or_malformed_file_fails_with_its_path(Vertx vertx) throws Exception {
    assertThat(failure(vertx, dir.resolve("nope.json"))).contains("nope.json");
    assertThat(failure(vertx, write("{not json"))).contains("conf.json");
  }

  private Path write(String json) throws Exception {
    return Files.writeString(dir.resolve("conf.json"), json);
  }

  private static PresenceConfig load(Vertx vertx, Path file) throws Exception {
    return PresenceConfigLoader.load(vertx, file.toString()).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static String failure(Vertx vertx, Path file) throws Exception {
    try {
      load(vertx, file);
      throw new AssertionError("loading " + file + " should have failed");
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    }
  }
}
