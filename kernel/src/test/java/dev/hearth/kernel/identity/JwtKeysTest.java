package dev.hearth.kernel.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.jwt.JwtEcdsaPrivateKey;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtKeysTest {

  static final String ISSUER = "https://node.test";
  static final String AUDIENCE = "hearth";
  static final Duration TTL = Duration.ofMinutes(15);

  @TempDir Path tmp;

  MutableClock clock;
  MasterKey master;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    master = MasterKey.loadOrCreate(tmp.resolve("master.key")).key();
  }

  // --- round trip -------------------------------------------------------------------------------

  @Test
  void validToken_roundTripsItsClaims() {
    JwtKeys keys = open();
    String token = keys.issue("user-1", "session-1", Map.of("tenant", "acme"));

    JwtKeys.Claims c = keys.verify(token);

    assertThat(c.subject()).isEqualTo("user-1");
    assertThat(c.sessionId()).isEqualTo("session-1");
    assertThat(c.issuedAt()).isEqualTo(clock.instant());
    assertThat(c.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    assertThat(c.jwtId()).isNotBlank();
    assertThat(c.extra()).containsExactly(Map.entry("tenant", "acme"));
    assertThat(keys.accessTtl()).isEqualTo(TTL);
  }

  @Test
  void issuedToken_hasKidAndAccessTokenTypeInHeader_andEveryRequiredClaim() {
    JwtKeys keys = open();
    String token = keys.issue("user-1", "session-1", Map.of());

    JsonObject header = part(token, 0);
    JsonObject payload = part(token, 1);

    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(header.getString("typ")).isEqualTo("at+jwt");
    assertThat(header.getString("kid")).isEqualTo(onlyKid(keys));
    assertThat(payload.fieldNames()).contains("iss", "aud", "sub", "iat", "exp", "jti", "sid");
    assertThat(payload.getString("iss")).isEqualTo(ISSUER);
    assertThat(payload.getString("aud")).isEqualTo(AUDIENCE);
  }

  @Test
  void twoTokens_haveDifferentJwtIds() {
    JwtKeys keys = open();
    assertThat(keys.verify(keys.issue("u", "s", Map.of())).jwtId())
        .isNotEqualTo(keys.verify(keys.issue("u", "s", Map.of())).jwtId());
  }

  @Test
  void reservedExtraClaim_isRefusedAtIssue() {
    JwtKeys keys = open();
    for (String name : List.of("sid", "sub", "exp", "iss", "aud", "jti", "iat", "nbf")) {
      assertThatThrownBy(() -> keys.issue("u", "s", Map.of(name, "x")))
          .isInstanceOfSatisfying(ModuleException.class,
              e -> assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT));
    }
  }

  // --- rejections -------------------------------------------------------------------------------

  @Test
  void expiredToken_isRejected() {
    JwtKeys keys = open();
    String token = keys.issue("user-1", "session-1", Map.of());
    clock.advance(TTL.plus(JwtKeys.CLOCK_SKEW).plusSeconds(1));

    assertRefused(keys, token).hasMessage("access token expired");
  }

  @Test
  void tokenJustPastExpiry_isStillAcceptedWithinClockSkew() {
    JwtKeys keys = open();
    String token = keys.issue("user-1", "session-1", Map.of());
    clock.advance(TTL.plus(JwtKeys.CLOCK_SKEW).minusSeconds(1));

    assertThat(keys.verify(token).subject()).isEqualTo("user-1");
  }

  @Test
  void algNoneToken_isRejected() {
    JwtKeys keys = open();
    String header = b64(new JsonObject().put("alg", "none").put("typ", "at+jwt").put("kid", onlyKid(keys)));
    String token = header + "." + b64(validPayload()) + ".";

    assertRefused(keys, token).hasMessage("access token is not valid");
  }

  @Test
  void hs256TokenSignedWithThePublicKey_isRejected() throws Exception {
    JwtKeys keys = open();
    JsonObject jwk = new JsonObject(keys.jwksJson()).getJsonArray("keys").getJsonObject(0);
    // The classic key-confusion attack: the public key (as the uncompressed point, and as the JWK text) as HMAC secret.
    byte[] point = concat(new byte[] {4}, unb64(jwk.getString("x")), unb64(jwk.getString("y")));
    for (byte[] secret : List.of(point, jwk.encode().getBytes(StandardCharsets.UTF_8))) {
      String signingInput = b64(new JsonObject().put("alg", "HS256").put("typ", "at+jwt").put("kid", jwk.getString("kid")))
          + "." + b64(validPayload());
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      String token = signingInput + "." + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));

      assertRefused(keys, token).hasMessage("access token is not valid");
    }
  }

  @Test
  void tokenForAnotherAudience_isRejected() {
    JwtKeys keys = open();
    JwtKeys other = open(options().withClock(clock), "other-audience", ISSUER);
    String token = other.issue("user-1", "session-1", Map.of());
    assertThat(other.verify(token).subject()).isEqualTo("user-1");

    assertRefused(keys, token).hasMessage("access token is not valid");
  }

  @Test
  void tokenFromAnotherIssuer_isRejected() {
    JwtKeys keys = open();
    JwtKeys other = open(options(), AUDIENCE, "https://evil.test");
    String token = other.issue("user-1", "session-1", Map.of());

    assertRefused(keys, token).hasMessage("access token is not valid");
  }

  @Test
  void tokenWithUnknownKid_isRejectedAsUnknownKey() {
    JwtKeys keys = open();
    // Same issuer and audience, but another node's keyset (another vault).
    JwtKeys stranger = JwtKeys.open(KeyVault.open(tmp.resolve("other-keys"), master), options());
    String token = stranger.issue("user-1", "session-1", Map.of());

    assertRefused(keys, token).hasMessage("access token is signed by an unknown key");
  }

  @Test
  void tamperedPayload_isRejected() {
    JwtKeys keys = open();
    String[] parts = keys.issue("user-1", "session-1", Map.of()).split("\\.");
    JsonObject payload = part(String.join(".", parts), 1).put("sub", "admin");
    String token = parts[0] + "." + b64(payload) + "." + parts[2];

    assertRefused(keys, token).hasMessage("access token is not valid");
  }

  @Test
  void tamperedExpiredToken_isNotReportedAsMerelyExpired() {
    JwtKeys keys = open();
    String[] parts = keys.issue("user-1", "session-1", Map.of()).split("\\.");
    JsonObject payload = part(String.join(".", parts), 1).put("sub", "admin");
    String token = parts[0] + "." + b64(payload) + "." + parts[2];
    clock.advance(Duration.ofHours(1));

    assertRefused(keys, token).hasMessage("access token is not valid");
  }

  @Test
  void garbage_isRejected() {
    JwtKeys keys = open();
    String valid = keys.issue("user-1", "session-1", Map.of());
    List<String> garbage = new ArrayList<>(List.of("", "not-a-jwt", "a.b.c", "...", "e30.e30.", "e30.e30.e30",
        valid + ".x", valid.substring(0, valid.length() - 3), "x".repeat(JwtKeys.MAX_TOKEN_CHARS + 1)));
    garbage.add(null);
    for (String token : garbage) {
      assertRefused(keys, token);
    }
  }

  @Test
  void tokenOfAnotherType_isRejected() {
    // Same key and claims, but the header's typ is not at+jwt: another kind of JWT must not pass.
    JwtKeys keys = open();
    String[] parts = keys.issue("user-1", "session-1", Map.of()).split("\\.");
    JsonObject header = part(String.join(".", parts), 0).put("typ", "JWT");
    String token = b64(header) + "." + parts[1] + "." + parts[2];

    assertRefused(keys, token);
  }

  // --- rotation ---------------------------------------------------------------------------------

  @Test
  void afterRotation_oldTokenStillVerifies_andNewTokenUsesNewKid() {
    JwtKeys keys = open();
    String old = keys.issue("user-1", "session-1", Map.of());

    keys.rotateNow();
    String fresh = keys.issue("user-2", "session-2", Map.of());

    assertThat(kid(fresh)).isNotEqualTo(kid(old));
    assertThat(keys.verify(old).subject()).isEqualTo("user-1");
    assertThat(keys.verify(fresh).subject()).isEqualTo("user-2");
    assertThat(jwksKids(keys)).containsExactlyInAnyOrder(kid(old), kid(fresh));
  }

  @Test
  void demotedKey_isPrunedAfterTtlPlusSkew_thenItsTokensAreUnknownKey_whileNewOnesVerify() {
    JwtKeys keys = open();
    String old = keys.issue("user-1", "session-1", Map.of());
    keys.rotateNow();

    clock.advance(TTL.plus(JwtKeys.CLOCK_SKEW).minusSeconds(1));
    assertThat(keys.rotateIfDue()).as("not yet: the old key's last tokens are still accepted").isFalse();
    assertThat(keys.verify(old).subject()).isEqualTo("user-1");

    clock.advance(Duration.ofSeconds(1));
    assertThat(keys.rotateIfDue()).isTrue();

    assertRefused(keys, old).hasMessage("access token is signed by an unknown key");
    String fresh = keys.issue("user-2", "session-2", Map.of());
    assertThat(keys.verify(fresh).subject()).isEqualTo("user-2");
    assertThat(jwksKids(keys)).containsExactly(kid(fresh));
  }

  @Test
  void rotateIfDue_makesNewPrimaryOnlyOnceTheIntervalHasPassed() {
    JwtKeys keys = open(options().withRotationInterval(Duration.ofHours(24)), AUDIENCE, ISSUER);
    String first = keys.issue("u", "s", Map.of());

    clock.advance(Duration.ofHours(23));
    assertThat(keys.rotateIfDue()).isFalse();
    assertThat(kid(keys.issue("u", "s", Map.of()))).isEqualTo(kid(first));

    clock.advance(Duration.ofHours(1));
    assertThat(keys.rotateIfDue()).isTrue();
    assertThat(kid(keys.issue("u", "s", Map.of()))).isNotEqualTo(kid(first));
  }

  @Test
  void open_rotatesWhenThePrimaryAgedPastTheIntervalWhileTheNodeWasDown() {
    String first = kid(open().issue("u", "s", Map.of()));
    clock.advance(Duration.ofDays(2));

    JwtKeys reopened = open();

    assertThat(kid(reopened.issue("u", "s", Map.of()))).isNotEqualTo(first);
  }

  @Test
  void verifyDuringRotations_neverFailsForValidTokens() throws Exception {
    JwtKeys keys = open(options().withAccessTtl(Duration.ofHours(1)), AUDIENCE, ISSUER);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        workers.add(pool.submit(() -> {
          int n = 0;
          while (!stop.get() || n < 20) {
            String t = keys.issue("u" + n, "s", Map.of());
            assertThat(keys.verify(t).subject()).isEqualTo("u" + n);
            n++;
          }
          return n;
        }));
      }
      for (int r = 0; r < 5; r++) {
        keys.rotateNow();
      }
      stop.set(true);
      for (Future<Integer> w : workers) {
        assertThat(w.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(20);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(jwksKids(keys)).hasSize(6);
  }

  // --- persistence ------------------------------------------------------------------------------

  @Test
  void reopenFromDisk_keepsTheSameKeys() {
    JwtKeys keys = open();
    String before = keys.issue("user-1", "session-1", Map.of());
    keys.rotateNow();
    String afterRotation = keys.issue("user-2", "session-2", Map.of());

    JwtKeys reopened = open();

    assertThat(reopened.verify(before).subject()).isEqualTo("user-1");
    assertThat(reopened.verify(afterRotation).subject()).isEqualTo("user-2");
    assertThat(reopened.jwksJson()).isEqualTo(keys.jwksJson());
    assertThat(kid(reopened.issue("u", "s", Map.of()))).isEqualTo(kid(afterRotation));
  }

  @Test
  void reopenFromDisk_keepsDemotionTimes_soPruningHappensOnSchedule() {
    JwtKeys keys = open();
    String old = keys.issue("user-1", "session-1", Map.of());
    keys.rotateNow();
    clock.advance(Duration.ofMinutes(10));

    JwtKeys reopened = open();
    assertThat(reopened.verify(old).subject()).isEqualTo("user-1");
    clock.advance(Duration.ofMinutes(6));
    reopened.rotateIfDue();

    assertRefused(reopened, old).hasMessage("access token is signed by an unknown key");
  }

  @Test
  void keysetOnDisk_isEncrypted_andNoFileHoldsThePrivateKeyInClear() throws Exception {
    JwtKeys keys = open();
    keys.rotateNow();
    KeysetHandle handle = KeyVault.open(tmp.resolve("keys"), master)
        .loadOrCreateKeyset(JwtKeys.KEYSET_NAME, null);
    List<byte[]> secrets = new ArrayList<>();
    for (int i = 0; i < handle.size(); i++) {
      BigInteger d = ((JwtEcdsaPrivateKey) handle.getAt(i).getKey()).getPrivateValue()
          .getBigInteger(InsecureSecretKeyAccess.get());
      secrets.add(fixed32(d.toByteArray()));
    }
    assertThat(secrets).hasSize(2);

    String keyset = Files.readString(tmp.resolve("keys").resolve("jwt-signing.json"));
    assertThat(new JsonObject(keyset).getString("encryptedKeyset")).isNotBlank();
    assertThat(keyset).doesNotContain("keyValue");
    for (Path file : List.of(tmp.resolve("keys").resolve("jwt-signing.json"),
        tmp.resolve("keys").resolve("jwt-signing.meta.json"))) {
      String text = Files.readString(file);
      byte[] raw = Files.readAllBytes(file);
      for (byte[] d : secrets) {
        assertThat(text).doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(d))
            .doesNotContain(Base64.getEncoder().encodeToString(d))
            .doesNotContainIgnoringCase(HexFormat.of().formatHex(d));
        assertThat(indexOf(raw, d)).isEqualTo(-1);
      }
    }
  }

  @Test
  void jwks_listsOnlyPublicKeys() {
    JwtKeys keys = open();
    JsonArray jwks = new JsonObject(keys.jwksJson()).getJsonArray("keys");
    assertThat(jwks).hasSize(1);
    JsonObject jwk = jwks.getJsonObject(0);
    assertThat(jwk.getString("kty")).isEqualTo("EC");
    assertThat(jwk.getString("crv")).isEqualTo("P-256");
    assertThat(jwk.getString("alg")).isEqualTo("ES256");
    assertThat(jwk.containsKey("d")).isFalse();
  }

  // --- helpers ----------------------------------------------------------------------------------

  // --- one set of keys for a cluster (SharedJwtKeys) -------------------------------------------

  @Test
  void keysRotatedByOneProcess_areAdoptedByAnother_thatThenAcceptsItsTokens_oldAndNew() throws Exception {
    JwtKeys owner = open();
    // The other process: its own vault folder, the same master key (a cluster's processes share it).
    Files.createDirectories(tmp.resolve("other"));
    try (var files = Files.list(tmp.resolve("keys"))) {
      for (Path f : files.toList()) Files.copy(f, tmp.resolve("other").resolve(f.getFileName()));
    }
    JwtKeys other = JwtKeys.open(KeyVault.open(tmp.resolve("other"), master), options());
    String before = owner.issue("user-1", "s-1", Map.of());
    owner.rotateNow();
    String after = owner.issue("user-1", "s-2", Map.of());
    assertRefused(other, after).hasMessageContaining("unknown key");

    String exported = owner.exported();
    assertThat(new JsonObject(exported).getString("keyset")).as("wrapped by the master key").contains("encryptedKeyset");
    AtomicInteger asked = new AtomicInteger();
    other.onUnknownKey(() -> {
      asked.incrementAndGet();
      return other.adopt(exported);
    });
    assertThat(other.verify(after).sessionId()).isEqualTo("s-2");
    assertThat(other.verify(before).sessionId()).isEqualTo("s-1");
    assertThat(asked).hasValue(1);
    assertThat(other.adopt(exported)).as("the same keys again change nothing").isFalse();
    // Saved in its vault too: a restart of the other process starts from the adopted keys.
    JwtKeys restarted = JwtKeys.open(KeyVault.open(tmp.resolve("other"), master), options());
    assertThat(restarted.verify(after).sessionId()).isEqualTo("s-2");
  }

  @Test
  void keysExportedUnderAnotherMasterKey_areRefused() {
    JwtKeys owner = open();
    String exported = owner.exported();
    MasterKey otherMaster = MasterKey.loadOrCreate(tmp.resolve("other.key")).key();
    JwtKeys other = JwtKeys.open(KeyVault.open(tmp.resolve("elsewhere"), otherMaster), options());
    assertThatThrownBy(() -> other.adopt(exported)).isInstanceOfSatisfying(ModuleException.class,
        e -> assertThat(e.code()).isEqualTo(ModuleException.Code.FAILED_PRECONDITION));
  }

  JwtKeys.Options options() {
    return JwtKeys.Options.of(ISSUER, AUDIENCE).withAccessTtl(TTL).withClock(clock);
  }

  JwtKeys open() {
    return open(options(), AUDIENCE, ISSUER);
  }

  /** Every call opens a fresh vault on the same folder, as a restarted node would. */
  JwtKeys open(JwtKeys.Options base, String audience, String issuer) {
    JwtKeys.Options o = new JwtKeys.Options(issuer, audience, base.accessTtl(), base.rotationInterval(), base.clock());
    return JwtKeys.open(KeyVault.open(tmp.resolve("keys"), master), o);
  }

  JsonObject validPayload() {
    long now = clock.instant().getEpochSecond();
    return new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", "admin").put("sid", "s")
        .put("jti", "j").put("iat", now).put("exp", now + 600);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(JwtKeys keys, String token) {
    return assertThatThrownBy(() -> keys.verify(token))
        .isInstanceOfSatisfying(ModuleException.class,
            e -> assertThat(e.code()).isEqualTo(ModuleException.Code.UNAUTHENTICATED));
  }

  static String onlyKid(JwtKeys keys) {
    List<String> kids = jwksKids(keys);
    assertThat(kids).hasSize(1);
    return kids.get(0);
  }

  static List<String> jwksKids(JwtKeys keys) {
    JsonArray arr = new JsonObject(keys.jwksJson()).getJsonArray("keys");
    List<String> kids = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      kids.add(arr.getJsonObject(i).getString("kid"));
    }
    return kids;
  }

  static String kid(String token) {
    return part(token, 0).getString("kid");
  }

  static JsonObject part(String token, int i) {
    return new JsonObject(new String(unb64(token.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  static String b64(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  static byte[] unb64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** The 32-byte big-endian form of a P-256 scalar, as a JWK "d" holds it. */
  static byte[] fixed32(byte[] bigEndian) {
    byte[] out = new byte[32];
    int len = Math.min(32, bigEndian.length);
    System.arraycopy(bigEndian, bigEndian.length - len, out, 32 - len, len);
    return out;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
