package dev.hearth.kernel.identity;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.auth.v1.Session;
import dev.hearth.kernel.config.IdentityOptions;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {

  @TempDir Path tmp;
  Stores stores;
  IdentityStore ids;
  Sessions sessions;
  final JwtKeysTest.MutableClock clock = new JwtKeysTest.MutableClock(Instant.parse("2026-11-21T10:00:00Z"));

  @BeforeEach
  void open() {
    stores = Stores.open(tmp.resolve("data"), MasterKey.loadOrCreate(tmp.resolve("master.key")).key(), StoreOptions.defaults());
    ids = new IdentityStore(stores.store("kernel"));
    JwtKeys jwt = JwtKeys.open(stores.vault(), JwtKeys.Options.of("hearth:test", "hearth").withClock(clock));
    sessions = new Sessions(ids, jwt, clock, IdentityOptions.from(new JsonObject().put("refreshTtlSeconds", 3600)));
  }

  @AfterEach
  void close() {
    stores.close();
  }

  private Session start(String userId) throws Exception {
    Sessions.Issued issued = await(ids.store.write("test", tx -> {
      tx.put(ids.users, userId, UserRecord.newBuilder().setId(userId).build());
      return sessions.start(tx, userId);
    }));
    return sessions.session(issued);
  }

  @Test
  void expiredSessionsAndSpentTokens_arePurged_liveOnesStay() throws Exception {
    Session old = start("u1");
    await(sessions.refresh(old.getRefreshToken())); // leaves one spent refresh token
    clock.advance(Duration.ofMinutes(30));
    Session young = start("u2");
    clock.advance(Duration.ofMinutes(31)); // the first session is now past its hour, the second is not

    assertThat(sessions.purgeExpired()).isEqualTo(2); // u1's session and its spent token
    assertThat(ids.sessions.size()).isEqualTo(1);
    assertThat(await(sessions.refresh(young.getRefreshToken())).getUserId()).isEqualTo("u2");
    assertThatThrownBy(() -> await(sessions.refresh(old.getRefreshToken())))
        .isInstanceOf(ModuleException.class);
  }
}
