package dev.hearth.kernel.identity;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.jwt.JwkSetConverter;
import com.google.crypto.tink.jwt.JwtEcdsaParameters;
import com.google.crypto.tink.jwt.JwtEcdsaPrivateKey;
import com.google.crypto.tink.jwt.JwtEcdsaPublicKey;
import com.google.crypto.tink.jwt.JwtPublicKeySign;
import com.google.crypto.tink.jwt.JwtPublicKeyVerify;
import com.google.crypto.tink.jwt.JwtSignatureConfig;
import com.google.crypto.tink.jwt.JwtValidator;
import com.google.crypto.tink.jwt.RawJwt;
import com.google.crypto.tink.jwt.VerifiedJwt;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs and verifies the node's access tokens: compact JWTs (ES256, header {@code typ: at+jwt} and
 * a {@code kid}) with {@code iss}, {@code aud}, {@code sub}, {@code iat}, {@code exp}, {@code jti}
 * and the session id in {@code sid}. The signing keyset {@value #KEYSET_NAME} lives in the
 * {@link KeyVault}, wrapped by the master key; the ages of its keys live beside it in
 * {@code jwt-signing.meta.json}.
 *
 * <p>Rotation: {@link #rotateIfDue()} makes a new primary key once the primary is older than the
 * rotation interval, and removes a demoted key once {@code accessTtl + }{@link #CLOCK_SKEW} has
 * passed since its demotion — by then every token it signed has expired. The node calls it on a
 * timer (from a worker thread: it writes files); it is cheap when nothing is due. Every change is
 * saved before it is used.
 *
 * <p>Thread-safe. {@link #issue} and {@link #verify} take no lock: they read one immutable snapshot
 * of the keys, which rotation replaces whole.
 */
public final class JwtKeys {

  /** Name of the signing keyset in the vault. */
  public static final String KEYSET_NAME = "jwt-signing";

  /**
   * How far the clocks of this node and of the token's issuer (the node itself, maybe restarted
   * on another host of a cluster) may disagree: a token is accepted up to 30 s after its
   * {@code exp} and with an {@code iat} up to 30 s ahead.
   */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** Longest token {@link #verify} parses; ours are far shorter (about 400 characters). */
  public static final int MAX_TOKEN_CHARS = 8192;

  /** The session-id claim. */
  public static final String SESSION_CLAIM = "sid";

  // RFC 9068's type for JWT access tokens: keeps other JWTs these keys might sign from passing as one.
  static final String TOKEN_TYPE = "at+jwt";

  private static final Set<String> RESERVED_CLAIMS =
      Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", SESSION_CLAIM);

  private static final Logger log = LoggerFactory.getLogger(JwtKeys.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JwtEcdsaParameters PARAMETERS = parameters();

  /**
   * How {@link #open} sets up the keys.
   *
   * @param issuer the {@code iss} of issued tokens, and the only one accepted
   * @param audience the {@code aud} of issued tokens, and the one a token must name
   * @param accessTtl lifetime of an access token
   * @param rotationInterval age at which the primary signing key is replaced
   * @param clock the time source (tests move it)
   */
  public record Options(String issuer, String audience, Duration accessTtl, Duration rotationInterval, Clock clock) {

    public static final Duration DEFAULT_ACCESS_TTL = Duration.ofMinutes(15);
    public static final Duration DEFAULT_ROTATION_INTERVAL = Duration.ofHours(24);

    public Options {
      if (issuer == null || issuer.isBlank()) {
        throw ModuleException.invalidArgument("JWT issuer must not be empty");
      }
      if (audience == null || audience.isBlank()) {
        throw ModuleException.invalidArgument("JWT audience must not be empty");
      }
      // Whole seconds: JWT times are seconds, and a sub-second TTL would be rounded away.
      if (accessTtl == null || accessTtl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw ModuleException.invalidArgument("access-token TTL must be at least one second");
      }
      if (rotationInterval == null || rotationInterval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw ModuleException.invalidArgument("JWT key rotation interval must be at least one second");
      }
      Objects.requireNonNull(clock, "clock");
    }

    /** Options with a 15-minute TTL, daily rotation and the system clock. */
    public static Options of(String issuer, String audience) {
      return new Options(issuer, audience, DEFAULT_ACCESS_TTL, DEFAULT_ROTATION_INTERVAL, Clock.systemUTC());
    }

    public Options withAccessTtl(Duration ttl) {
      return new Options(issuer, audience, ttl, rotationInterval, clock);
    }

    public Options withRotationInterval(Duration interval) {
      return new Options(issuer, audience, accessTtl, interval, clock);
    }

    public Options withClock(Clock c) {
      return new Options(issuer, audience, accessTtl, rotationInterval, c);
    }
  }

  /**
   * What a verified token says.
   *
   * @param extra the string claims passed to {@link #issue} as extras
   */
  public record Claims(String subject, String sessionId, Instant issuedAt, Instant expiresAt, String jwtId,
      Map<String, String> extra) {}

  /** The keys in use, replaced whole on every change so readers never lock. */
  private record Snapshot(KeysetHandle handle, KeyAges ages, JwtPublicKeySign signer,
      JwtPublicKeyVerify verifier, Set<String> kids, String jwks) {}

  private final KeyVault vault;
  private final Options options;
  private final Clock clock;
  private final Path agesFile;
  private final JwtValidator validator;
  private volatile Snapshot current;
  private volatile BooleanSupplier reload = () -> false;

  private JwtKeys(KeyVault vault, Options options) {
    this.vault = vault;
    this.options = options;
    this.clock = options.clock();
    this.agesFile = vault.metaFile(KEYSET_NAME);
    this.validator = validatorAt(clock);
  }

  /**
   * Loads the signing keyset from the vault (creating it on first use), then rotates and prunes if
   * that is due. Blocking: reads and may write files.
   */
  public static JwtKeys open(KeyVault vault, Options options) {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(options, "options");
    JwtKeys keys = new JwtKeys(vault, options);
    synchronized (keys) {
      KeysetHandle handle = vault.loadOrCreateKeyset(KEYSET_NAME, PARAMETERS);
      checkKeys(handle);
      KeyAges loaded = KeyAges.load(keys.agesFile);
      KeyAges ages = reconcile(handle, loaded, keys.clock.instant());
      if (!ages.equals(loaded)) {
        ages.save(keys.agesFile);
      }
      keys.current = keys.snapshot(handle, ages);
      keys.rotateIfDue();
    }
    return keys;
  }

  /**
   * A signed access token for {@code subject} in session {@code sessionId}, valid for
   * {@link #accessTtl()} from now.
   *
   * @param extraStringClaims more string claims; may be empty, must not use a registered name
   *     ({@code iss sub aud exp nbf iat jti}) or {@code sid}
   */
  public String issue(String subject, String sessionId, Map<String, String> extraStringClaims) {
    if (subject == null || subject.isEmpty()) {
      throw ModuleException.invalidArgument("token subject must not be empty");
    }
    if (sessionId == null || sessionId.isEmpty()) {
      throw ModuleException.invalidArgument("token session id must not be empty");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    RawJwt.Builder b = RawJwt.newBuilder()
        .setTypeHeader(TOKEN_TYPE)
        .setIssuer(options.issuer())
        .setAudience(options.audience())
        .setSubject(subject)
        .setIssuedAt(now)
        .setExpiration(now.plus(options.accessTtl()))
        .setJwtId(randomId())
        .addStringClaim(SESSION_CLAIM, sessionId);
    if (extraStringClaims != null) {
      for (Map.Entry<String, String> e : extraStringClaims.entrySet()) {
        if (e.getKey() == null || RESERVED_CLAIMS.contains(e.getKey()) || e.getValue() == null) {
          throw ModuleException.invalidArgument("extra token claim '" + e.getKey() + "' is reserved or has no value");
        }
        b.addStringClaim(e.getKey(), e.getValue());
      }
    }
    String token;
    try {
      token = current.signer().signAndEncode(b.build());
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot sign access token", e);
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw ModuleException.invalidArgument("access token would be longer than " + MAX_TOKEN_CHARS + " characters");
    }
    return token;
  }

  /**
   * The claims of {@code token} once its signature, type, issuer, audience and times check out.
   *
   * @throws ModuleException UNAUTHENTICATED otherwise: "access token expired", "access token is
   *     signed by an unknown key" or "access token is not valid"
   */
  public Claims verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      throw TokenFailure.invalid();
    }
    Snapshot s = current;
    VerifiedJwt jwt;
    try {
      jwt = s.verifier().verifyAndDecode(token, validator);
    } catch (GeneralSecurityException | RuntimeException e) {
      // Untrusted input: whatever Tink throws on it is a refusal, explained without the token.
      ModuleException refusal = TokenFailure.explain(token, s.kids(), s.verifier(), clock.instant(), this::validatorAt);
      if (!TokenFailure.unknownKey(refusal) || !reload.getAsBoolean()) throw refusal;
      s = current;
      try {
        jwt = s.verifier().verifyAndDecode(token, validator);
      } catch (GeneralSecurityException | RuntimeException again) {
        throw TokenFailure.explain(token, s.kids(), s.verifier(), clock.instant(), this::validatorAt);
      }
    }
    try {
      if (!jwt.hasSubject() || !jwt.hasStringClaim(SESSION_CLAIM) || !jwt.hasIssuedAt() || !jwt.hasJwtId()) {
        throw TokenFailure.invalid();
      }
      Map<String, String> extra = new HashMap<>();
      for (String name : jwt.customClaimNames()) {
        if (!name.equals(SESSION_CLAIM) && jwt.hasStringClaim(name)) {
          extra.put(name, jwt.getStringClaim(name));
        }
      }
      return new Claims(jwt.getSubject(), jwt.getStringClaim(SESSION_CLAIM), jwt.getIssuedAt(),
          jwt.getExpiration(), jwt.getJwtId(), Map.copyOf(extra));
    } catch (GeneralSecurityException e) {
      throw TokenFailure.invalid();
    }
  }

  /**
   * Rotates when the primary key is older than the rotation interval, and removes demoted keys
   * whose tokens have all expired. Blocking (writes the keyset) when something changes.
   *
   * @return whether the keyset changed
   */
  public synchronized boolean rotateIfDue() {
    Snapshot s = current;
    Instant now = clock.instant();
    KeyAges.Age primary = s.ages().get(s.handle().getPrimary().getId());
    boolean due = !primary.created().plus(options.rotationInterval()).isAfter(now);
    return change(s, now, due);
  }

  /** Makes a new primary key now (old keys keep verifying their tokens), and prunes as above. */
  public synchronized void rotateNow() {
    change(current, clock.instant(), true);
  }

  /**
   * The keys and their ages, the keyset wrapped by the master key, for the other processes of a
   * cluster ({@link SharedJwtKeys}); {@link #adopt} takes it in.
   */
  public synchronized String exported() {
    Snapshot s = current;
    return new JsonObject().put("keyset", vault.wrapKeyset(KEYSET_NAME, s.handle()))
        .put("ages", s.ages().toJson()).encode();
  }

  /**
   * Uses the keys another process {@link #exported} (saved here too, so a restart starts from them).
   * Blocking (writes files) when they differ from the keys in use.
   *
   * @return whether the keys in use changed
   */
  public synchronized boolean adopt(String exported) {
    JsonObject json = new JsonObject(exported);
    KeysetHandle handle = vault.unwrapKeyset(KEYSET_NAME, json.getString("keyset"));
    checkKeys(handle);
    KeyAges ages = KeyAges.fromJson(json.getJsonObject("ages"));
    if (handle.getPrimary().getId() == current.handle().getPrimary().getId() && ages.equals(current.ages())) return false;
    vault.saveKeyset(KEYSET_NAME, handle);
    ages.save(agesFile);
    current = snapshot(handle, ages);
    log.info("access-token signing keys taken from the kernel store's owner: {} in use", handle.size());
    return true;
  }

  /**
   * Asked once when a token names a key not in use here, before the token is refused: another
   * process may have rotated the keys ({@link SharedJwtKeys}). It returns whether the keys changed.
   */
  void onUnknownKey(BooleanSupplier reload) {
    this.reload = reload;
  }

  /** The public keys still accepted, as a JWK Set (RFC 7517) for other services to verify with. */
  public String jwksJson() {
    return current.jwks();
  }

  /** Lifetime of an issued access token. */
  public Duration accessTtl() {
    return options.accessTtl();
  }

  private boolean change(Snapshot s, Instant now, boolean rotate) {
    try {
      KeysetHandle handle = s.handle();
      Map<Integer, KeyAges.Age> ages = s.ages().copy();
      if (rotate) {
        int old = handle.getPrimary().getId();
        handle = KeysetHandle.newBuilder(handle)
            .addEntry(KeysetHandle.generateEntryFromParameters(PARAMETERS).withRandomId().makePrimary())
            .build();
        ages.put(old, ages.get(old).demotedAt(now));
        ages.put(handle.getPrimary().getId(), new KeyAges.Age(now, null));
      }
      // A demoted key signed its last token at its demotion; that token is refused after ttl + skew.
      Instant retiredBefore = now.minus(options.accessTtl()).minus(CLOCK_SKEW);
      KeysetHandle.Builder b = KeysetHandle.newBuilder(handle);
      int removed = 0;
      for (int i = handle.size() - 1; i >= 0; i--) {
        KeysetHandle.Entry e = handle.getAt(i);
        Instant demoted = ages.get(e.getId()).demoted();
        if (!e.isPrimary() && demoted != null && !demoted.isAfter(retiredBefore)) {
          b.deleteAt(i);
          ages.remove(e.getId());
          removed++;
        }
      }
      if (!rotate && removed == 0) {
        return false;
      }
      handle = b.build();
      KeyAges next = new KeyAges(ages);
      // Keyset first: should the ages file not follow, reconcile() on the next open errs towards
      // keeping keys longer, never shorter.
      vault.saveKeyset(KEYSET_NAME, handle);
      next.save(agesFile);
      current = snapshot(handle, next);
      log.info("access-token signing keys changed: {}{} key(s) retired, {} in use",
          rotate ? "new primary key, " : "", removed, handle.size());
      return true;
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot rotate access-token signing keys", e);
    }
  }

  private Snapshot snapshot(KeysetHandle handle, KeyAges ages) {
    try {
      KeysetHandle pub = handle.getPublicKeysetHandle();
      Set<String> kids = new HashSet<>();
      for (int i = 0; i < pub.size(); i++) {
        ((JwtEcdsaPublicKey) pub.getAt(i).getKey()).getKid().ifPresent(kids::add);
      }
      return new Snapshot(handle, ages,
          handle.getPrimitive(RegistryConfiguration.get(), JwtPublicKeySign.class),
          pub.getPrimitive(RegistryConfiguration.get(), JwtPublicKeyVerify.class),
          Set.copyOf(kids), JwkSetConverter.fromPublicKeysetHandle(pub));
    } catch (GeneralSecurityException | IOException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot use the access-token signing keys", e);
    }
  }

  private JwtValidator validatorAt(Clock at) {
    return JwtValidator.newBuilder()
        .expectTypeHeader(TOKEN_TYPE)
        .expectIssuer(options.issuer())
        .expectAudience(options.audience())
        .expectIssuedInThePast()
        .setClock(at)
        .setClockSkew(CLOCK_SKEW)
        .build();
  }

  /** Gives every key ages: a key the side file does not know counts as made (or demoted) just now. */
  private static KeyAges reconcile(KeysetHandle handle, KeyAges loaded, Instant now) {
    Map<Integer, KeyAges.Age> ages = new HashMap<>();
    for (int i = 0; i < handle.size(); i++) {
      KeysetHandle.Entry e = handle.getAt(i);
      KeyAges.Age age = loaded.get(e.getId());
      Instant created = age == null ? now : age.created();
      Instant demoted = e.isPrimary() ? null : age == null || age.demoted() == null ? now : age.demoted();
      ages.put(e.getId(), new KeyAges.Age(created, demoted));
    }
    return new KeyAges(ages);
  }

  private static void checkKeys(KeysetHandle handle) {
    for (int i = 0; i < handle.size(); i++) {
      if (!(handle.getAt(i).getKey() instanceof JwtEcdsaPrivateKey k) || !k.getParameters().equals(PARAMETERS)) {
        throw ModuleException.failedPrecondition(
            "keyset " + KEYSET_NAME + " holds a key that is not an ES256 JWT signing key");
      }
    }
  }

  private static String randomId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static JwtEcdsaParameters parameters() {
    try {
      // Registers the JWT signature key managers, wrappers and serializations; idempotent.
      JwtSignatureConfig.register();
      return JwtEcdsaParameters.builder()
          .setAlgorithm(JwtEcdsaParameters.Algorithm.ES256)
          .setKidStrategy(JwtEcdsaParameters.KidStrategy.BASE64_ENCODED_KEY_ID)
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot register Tink JWT signatures", e);
    }
  }
}
