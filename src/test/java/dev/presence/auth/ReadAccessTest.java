package dev.presence.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.AuthSettings;
import dev.presence.testing.InMemoryRevocationStore;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may read the admin listener's read API in development mode (no tokens to verify): everyone without API
 * keys, only key holders with them. Token mode is performed against a real node in {@code AdminListenerIT}.
 */
class ReadAccessTest {

  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final String OTHER_KEY = "fedcba9876543210fedcba9876543210";

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void development_mode_without_api_keys_is_open_to_anyone() {
    Authenticator open = authenticator(List.of());

    assertThat(access(open, null)).isInstanceOf(ReadAccess.Granted.class);
    assertThat(access(open, "Bearer anything")).isInstanceOf(ReadAccess.Granted.class);
  }

  @Test
  void development_mode_with_api_keys_admits_only_their_holders_and_each_of_them() {
    Authenticator keyed = authenticator(List.of(KEY, OTHER_KEY));

    assertThat(access(keyed, "Bearer " + KEY)).isEqualTo(new ReadAccess.Granted("api key"));
    assertThat(access(keyed, "bearer " + OTHER_KEY)).isEqualTo(new ReadAccess.Granted("api key"));
    assertThat(access(keyed, null)).isInstanceOf(ReadAccess.Unauthenticated.class);
    assertThat(access(keyed, "Bearer " + KEY.substring(1))).isInstanceOf(ReadAccess.Unauthenticated.class);
    assertThat(access(keyed, "Bearer " + KEY + "0")).isInstanceOf(ReadAccess.Unauthenticated.class);
    assertThat(access(keyed, "Service " + KEY)).as("another scheme").isInstanceOf(ReadAccess.Unauthenticated.class);
  }

  @Test
  void the_service_credential_is_not_an_api_key() {
    AuthSettings withService = new AuthSettings(dev.presence.config.AuthMode.NONE, null, null, "RS256", null, null,
        "roles", List.of(), false, "service-credential-of-24-chars");
    Authenticator auth = Authenticator.create(vertx, withService,
        VerificationKeys.load(withService).await(), List.of(KEY), new InMemoryRevocationStore(),
        InstantSource.system());

    assertThat(access(auth, "Bearer service-credential-of-24-chars")).isInstanceOf(ReadAccess.Unauthenticated.class);
  }

  private Authenticator authenticator(List<String> apiKeys) {
    return Authenticator.create(vertx, AuthSettings.none(), VerificationKeys.load(AuthSettings.none()).await(),
        apiKeys, new InMemoryRevocationStore(), InstantSource.system());
  }

  private static ReadAccess access(Authenticator auth, String header) {
    return auth.readAccess(header).await();
  }
}
