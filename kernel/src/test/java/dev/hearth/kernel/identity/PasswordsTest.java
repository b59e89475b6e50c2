package dev.hearth.kernel.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.config.IdentityOptions;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void hash_isArgon2idPhc_andVerifiesOnlyTheSamePassword() {
    String phc = Passwords.hash("correct horse battery");
    assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct");
    assertThat(Passwords.verify("correct horse battery", phc)).isTrue();
    assertThat(Passwords.verify("correct horse batterY", phc)).isFalse();
    assertThat(Passwords.hash("correct horse battery")).isNotEqualTo(phc); // random salt
  }

  @Test
  void parametersAreReadFromTheHash_andGarbageNeverVerifies() {
    String phc = Passwords.hash("pw-with-params");
    String weaker = phc.replace("m=19456,t=2", "m=19456,t=3");
    assertThat(Passwords.verify("pw-with-params", weaker)).isFalse(); // same hash, other parameters: no match
    assertThat(Passwords.verify("x", "not a hash")).isFalse();
    assertThat(Passwords.verify("x", "$argon2id$v=19$m=zz,t=1,p=1$AAAA$AAAA")).isFalse();
    assertThat(Passwords.verify("x", "$argon2id$v=19$m=8,t=1,p=1$!!$AAAA")).isFalse();
    assertThat(Passwords.verify("x", "$argon2i$v=19$m=8,t=1,p=1$AAAA$AAAA")).isFalse();
  }

  @Test
  void policy_namesTheField() {
    assertThatThrownBy(() -> Passwords.checkPolicy("new_password", "short"))
        .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.details()).containsEntry("field", "new_password"));
  }

  @Test
  void aTestNodesLowerHashCost_isRecordedInTheHash_verifiesAnywhere_andIsNeverTheDefault() {
    String cheap = Passwords.hash("correct horse battery", 64);
    assertThat(cheap).startsWith("$argon2id$v=19$m=64,t=2,p=1$");
    assertThat(Passwords.verify("correct horse battery", cheap)).isTrue();
    assertThat(Passwords.verify("wrong horse battery", cheap)).isFalse();
    assertThat(IdentityOptions.defaults().passwordHashMemoryKiB()).isEqualTo(19 * 1024);
    for (int bad : new int[] {63, 19 * 1024 + 1}) {
      assertThatThrownBy(() -> IdentityOptions.from(new JsonObject().put(IdentityOptions.TEST_HASH_MEMORY_KEY, bad)))
          .hasMessageContaining("testOnlyPasswordHashMemoryKiB");
    }
  }
}
