package dev.hearth.kernel.api.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.HttpRule;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.tenancy.v1.TenancyProto;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * RestPaths picks what the router picked with a route per method: the first method, in the order
 * added, whose verb matches and whose path matches the template's regular expression as Vert.x
 * builds it (literals exact, each variable one non-empty segment, nothing after the last one).
 */
class RestPathsTest {

  private record Rule(HttpMethod verb, String path, RpcMethod method) {}

  private final List<Rule> rules = tenancyRules();

  private static List<Rule> tenancyRules() {
    var d = TenancyProto.getDescriptor().findServiceByName("TenancyService");
    ServiceBinding.Builder b = ServiceBinding.of(d);
    for (var m : d.getMethods()) {
      b.<Message, Message>unary(m.getName(), DynamicMessage.getDefaultInstance(m.getInputType()),
          (call, req) -> Future.succeededFuture(req));
    }
    List<Rule> out = new ArrayList<>();
    for (RpcMethod m : b.build().methods()) {
      HttpRule r = RestTransport.httpRule(m).orElse(null);
      if (r == null) continue;
      String template = switch (r.getPatternCase()) {
        case GET -> r.getGet();
        case POST -> r.getPost();
        case PUT -> r.getPut();
        case PATCH -> r.getPatch();
        case DELETE -> r.getDelete();
        default -> throw new IllegalStateException(r.getPatternCase().name());
      };
      out.add(new Rule(HttpMethod.valueOf(r.getPatternCase().name()), template.replaceAll("\\{([a-z_][a-z0-9_]*)}", ":$1"), m));
    }
    return out;
  }

  private RestPaths paths() {
    RestPaths p = new RestPaths();
    for (Rule r : rules) p.add(r.verb(), r.path(), r.method(), true, false);
    return p;
  }

  /** The router's answer: the first rule whose verb and Vert.x-style pattern match. */
  private RpcMethod routerPick(HttpMethod verb, String path) {
    for (Rule r : rules) {
      String regex = Pattern.quote(r.path()).replaceAll(":[a-z_][a-z0-9_]*", "\\\\E[^/]+\\\\Q");
      if (r.verb().equals(verb) && Pattern.matches(regex, path)) return r.method();
    }
    return null;
  }

  @Test
  void everyProbePath_findsTheMethodTheRouterPicked() {
    assertThat(rules).hasSizeGreaterThan(20);
    // Variables filled with ids and with the literals of other templates (where overlaps bite),
    // then spoiled: a trailing slash, an empty variable, one segment more.
    Set<String> words = new LinkedHashSet<>(List.of("0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee"));
    for (Rule r : rules) {
      for (String s : r.path().split("/")) if (!s.isEmpty() && !s.startsWith(":")) words.add(s);
    }
    RestPaths paths = paths();
    int checked = 0;
    for (Rule r : rules) {
      for (String w : words) {
        String filled = r.path().replaceAll(":[a-z_][a-z0-9_]*", w);
        for (String probe : List.of(filled, filled + "/", filled + "/x", r.path().replaceAll(":[a-z_][a-z0-9_]*", ""))) {
          for (HttpMethod verb : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)) {
            RestPaths.Match m = paths.match(verb, probe);
            assertThat(m == null ? null : m.method()).as(verb + " " + probe).isSameAs(routerPick(verb, probe));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(1000);
  }

  @Test
  void variables_areNamedByTheTemplate_andDecodedAsTheRouterDecodesThem() {
    RestPaths.Match m = paths().match(HttpMethod.DELETE, "/v1/projects/p%201/members/u+2");
    assertThat(m.method().fullName()).isEqualTo("hearth.tenancy.v1.TenancyService/RemoveProjectMember");
    assertThat(m.params()).isEqualTo(Map.of("project_id", "p 1", "user_id", "u+2"));
    assertThat(m.body()).isTrue();
  }

  @Test
  void aMethodTheRouterServes_leavesTheRequestToTheRouter_evenWhenALaterOneMatches() {
    RestPaths p = new RestPaths();
    Rule upload = rules.stream().filter(r -> r.path().equals("/v1/orgs/:org_id/projects")).findFirst().orElseThrow();
    p.add(upload.verb(), "/v1/orgs/:org_id/projects", upload.method(), true, true);
    p.add(upload.verb(), "/v1/orgs/:org_id/:what", rules.get(0).method(), true, false);
    RestPaths.Match m = p.match(upload.verb(), "/v1/orgs/o1/projects");
    assertThat(m).isNotNull();
    assertThat(m.method()).isNull();
    assertThat(p.match(upload.verb(), "/v1/orgs/o1/invites").method()).isSameAs(rules.get(0).method());
  }

  @Test
  void aRemovedService_isNoLongerFound() {
    RestPaths p = paths();
    assertThat(p.match(HttpMethod.GET, "/v1/orgs")).isNotNull();
    p.removeService("hearth.tenancy.v1.TenancyService");
    assertThat(p.match(HttpMethod.GET, "/v1/orgs")).isNull();
  }

  @Test
  void onlyPlainTemplates_areTaken() {
    assertThat(RestPaths.plain("/v1/things/:thing_id/parts")).isTrue();
    assertThat(RestPaths.plain("/v1/things/:id:cancel")).isFalse();
    assertThat(RestPaths.plain("/v1/things/*")).isFalse();
    assertThat(RestPaths.plain("/v1/x-:id")).isFalse();
    assertThatThrownBy(() -> new RestPaths().add(HttpMethod.GET, "/v1/a/*", rules.get(0).method(), false, false))
        .hasMessageContaining("/v1/a/*");
  }
}
