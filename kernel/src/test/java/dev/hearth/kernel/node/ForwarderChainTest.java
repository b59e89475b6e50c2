package dev.hearth.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forwarders added by several extensions (federation, the cluster): the first that claims a call runs it. */
class ForwarderChainTest {

  private final List<String> asked = new ArrayList<>();

  private Forwarder named(String name, Future<Message> answer) {
    return (method, request, caller) -> {
      asked.add(name);
      return answer;
    };
  }

  @Test
  void theFirstThatClaimsACallRunsIt_andTheOthersAreNotAsked() {
    Future<Message> second = Future.succeededFuture(StringValue.of("second"));
    Forwarder chain = ExtensionContext.chain(List.of(named("federation", null), named("cluster", second),
        named("third", Future.succeededFuture(Empty.getDefaultInstance()))));
    assertThat(chain.forward(null, Empty.getDefaultInstance(), Caller.ANONYMOUS)).isSameAs(second);
    assertThat(asked).containsExactly("federation", "cluster");
  }

  @Test
  void whenNoneClaimsTheCallItRunsHere() {
    Forwarder chain = ExtensionContext.chain(List.of(named("federation", null), named("cluster", null)));
    assertThat(chain.forward(null, Empty.getDefaultInstance(), Caller.ANONYMOUS)).isNull();
    assertThat(asked).containsExactly("federation", "cluster");
  }
}
