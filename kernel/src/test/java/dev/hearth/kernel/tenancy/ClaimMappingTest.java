package dev.hearth.kernel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.identity.proto.OrgSsoRuleRecord;
import dev.hearth.module.ModuleException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimMappingTest {

  static OrgSsoRuleRecord rule(String claim, String value, String project, String role) {
    return OrgSsoRuleRecord.newBuilder().setClaim(claim).setValue(value).setProjectId(project).setRole(role).build();
  }

  static final List<OrgSsoRuleRecord> RULES = List.of(
      rule("groups", "eng", "p1", "project-user"),
      rule("groups", "eng-leads", "p1", "project-admin"),
      rule("department", "sales", "p2", "project-user"),
      rule("groups", "admins", "", "org-admin"),
      rule("", "", "p3", "project-user"));

  @Test
  void aListClaimMatchesByContaining_aStringClaimByEquality_andTheHigherRoleWins() {
    assertThat(ClaimMapping.roles(RULES, Map.of("groups", List.of("eng", "eng-leads"), "department", "sales")))
        .isEqualTo(Map.of("p1", "project-admin", "p2", "project-user", "p3", "project-user"));
    assertThat(ClaimMapping.roles(RULES, Map.of("groups", List.of("admins"), "department", "sales-eu")))
        .isEqualTo(Map.of("", "org-admin", "p3", "project-user"));
  }

  @Test
  void anEmptyClaim_matchesEveryone_andAMissingClaimNothingElse() {
    assertThat(ClaimMapping.roles(RULES, Map.of())).isEqualTo(Map.of("p3", "project-user"));
    assertThat(ClaimMapping.roles(RULES.subList(0, 4), Map.of("groups", "eng-leads"))).isEqualTo(Map.of("p1", "project-admin"));
  }

  @Test
  void internalIssuerAddresses_areRecognised() throws Exception {
    for (String a : new String[] {"127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "::1", "fd00::1", "fe80::1"}) {
      assertThat(OrgProviderRules.internal(InetAddress.getByName(a))).as(a).isTrue();
    }
    for (String a : new String[] {"8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"}) {
      assertThat(OrgProviderRules.internal(InetAddress.getByName(a))).as(a).isFalse();
    }
    assertThatThrownBy(() -> OrgProviderRules.checkAddress("https://127.0.0.1/realms/x", false))
        .isInstanceOf(ModuleException.class).hasMessageStartingWith("issuer: 127.0.0.1 is an internal address");
  }

  @Test
  void anIssuerMustBeHttps_unlessPrivateIssuersAreAllowed_andDomainsAreCheckedByField() {
    assertThat(OrgProviderRules.issuer(" https://id.example.org/realms/corp/ ", false)).isEqualTo("https://id.example.org/realms/corp");
    assertThatThrownBy(() -> OrgProviderRules.issuer("http://id.example.org", false)).hasMessageStartingWith("issuer:");
    assertThat(OrgProviderRules.issuer("http://127.0.0.1:8080/x", true)).isEqualTo("http://127.0.0.1:8080/x");
    assertThat(OrgProviderRules.domains(List.of("Example.ORG", "@acme.test", "example.org"))).containsExactly("example.org", "acme.test");
    assertThatThrownBy(() -> OrgProviderRules.domains(List.of())).hasMessageStartingWith("allowed_domains:");
    assertThatThrownBy(() -> OrgProviderRules.domains(List.of("not a domain"))).hasMessageContaining("'not a domain' is not a domain name");
  }
}
