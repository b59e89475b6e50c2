package dev.hearth.video;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The SFU token's lifetime, checked by an independent JWT library (nimbus-jose-jwt, no clock skew)
 * at chosen issue times instead of sleeping until a token expires: the issue time is an argument.
 */
class SfuTokensTest {

  static final VideoConfig.Sfu SFU = new VideoConfig.Sfu("wss://sfu.test", VideoSfuIT.KEY, VideoSfuIT.SECRET, 60, 50);

  @Test
  void aToken_isValidWithinItsTtl_andExpiredOnceItHasPassed() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    SfuTokens tokens = new SfuTokens(SFU);
    assertThatCode(() -> verify(tokens.issue("r1", "u1", "Ann", now))).doesNotThrowAnyException();
    // Issued 50 s ago: 10 s left. Issued 70 s ago: expired 10 s ago (margins far above a slow run).
    assertThatCode(() -> verify(tokens.issue("r1", "u1", "Ann", now - 50))).doesNotThrowAnyException();
    assertThatThrownBy(() -> verify(tokens.issue("r1", "u1", "Ann", now - 70)))
        .isInstanceOf(BadJWTException.class).hasMessageContaining("Expired");
    // Not yet valid when issued for later (nbf is the issue time).
    assertThatThrownBy(() -> verify(tokens.issue("r1", "u1", "Ann", now + 30)))
        .isInstanceOf(BadJWTException.class).hasMessageContaining("before");
  }

  static void verify(String token) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    if (!jwt.verify(new MACVerifier(VideoSfuIT.SECRET))) throw new AssertionError("bad signature");
    DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>((String) null,
        new JWTClaimsSet.Builder().issuer(VideoSfuIT.KEY).subject("u1").build(), Set.of("iss", "sub", "nbf", "exp"));
    verifier.setMaxClockSkew(0);
    verifier.verify(jwt.getJWTClaimsSet(), null);
  }
}
