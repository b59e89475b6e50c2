package dev.hearth.kernel.api.rpc;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.hearth.kernel.access.CallGuard;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Caller;
import dev.hearth.tenancy.v1.GetProjectRequest;
import dev.hearth.tenancy.v1.Project;
import dev.hearth.tenancy.v1.TenancyProto;
import dev.hearth.tenancy.v1.UpdateProjectRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The forwarding hook: asked only about writes, after the guard, instead of the handler; never for dispatchAs. */
class DispatcherTest {

  private static final Caller ALICE = new Caller("alice", false, null, Caller.Via.SESSION);
  private static final Caller BOB = new Caller("bob", false, null, Caller.Via.FEDERATED);
  private static final Project LOCAL = Project.newBuilder().setName("local").build();
  private static final Project REMOTE = Project.newBuilder().setName("from the owner").build();

  private final AtomicInteger handled = new AtomicInteger();
  private final List<String> forwarded = new ArrayList<>();
  private final List<String> guarded = new ArrayList<>();
  private final ServiceBinding tenancy = binding();

  /** Every TenancyService method answers LOCAL and counts its calls. */
  private ServiceBinding binding() {
    var d = TenancyProto.getDescriptor().findServiceByName("TenancyService");
    ServiceBinding.Builder b = ServiceBinding.of(d);
    for (var m : d.getMethods()) {
      Message prototype = DynamicMessage.getDefaultInstance(m.getInputType());
      b.<Message, Message>unary(m.getName(), prototype, (call, req) -> {
        handled.incrementAndGet();
        return Future.succeededFuture(LOCAL);
      });
    }
    return b.build();
  }

  private RpcMethod method(String name) {
    return tenancy.methods().stream().filter(m -> m.descriptor().getName().equals(name)).findFirst().orElseThrow();
  }

  /** Admits ALICE for admit, the given caller for admitAs, or refuses when {@code refuse}. */
  private CallGuard guard(boolean refuse) {
    return new CallGuard() {
      @Override
      public Caller admit(RpcMethod method, Message request, String authorization, String clientAddress) {
        guarded.add("admit " + method.descriptor().getName());
        if (refuse) throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "no");
        return ALICE;
      }

      @Override
      public Caller admitAs(RpcMethod method, Message request, Caller caller) {
        guarded.add("admitAs " + method.descriptor().getName());
        if (refuse) throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "no");
        return caller;
      }
    };
  }

  private Forwarder recording(Future<Message> answer) {
    return (method, request, caller) -> {
      forwarded.add(method.descriptor().getName() + " " + caller.userId());
      return answer;
    };
  }

  @Test
  void aWriteTheForwarderClaimsRunsThereNotHere() {
    Dispatcher d = new Dispatcher(guard(false));
    d.forwarder(recording(Future.succeededFuture(REMOTE)));
    Message out = await(d.dispatch(Transport.REST, method("UpdateProject"), UpdateProjectRequest.newBuilder().setProjectId("p").build(), "Bearer x", "1.2.3.4"));
    assertThat(out).isEqualTo(REMOTE);
    assertThat(handled).hasValue(0);
    assertThat(forwarded).containsExactly("UpdateProject alice");
    assertThat(guarded).containsExactly("admit UpdateProject");
  }

  @Test
  void aReadIsNeverOfferedToTheForwarder() {
    Dispatcher d = new Dispatcher(guard(false));
    d.forwarder(recording(Future.succeededFuture(REMOTE)));
    Message out = await(d.dispatch(Transport.REST, method("GetProject"), GetProjectRequest.newBuilder().setProjectId("p").build(), "Bearer x", "1.2.3.4"));
    assertThat(out).isEqualTo(LOCAL);
    assertThat(handled).hasValue(1);
    assertThat(forwarded).isEmpty();
  }

  @Test
  void aWriteTheForwarderDeclinesRunsHere() {
    Dispatcher d = new Dispatcher(guard(false));
    d.forwarder((method, request, caller) -> null);
    assertThat(await(d.dispatch(Transport.REST, method("UpdateProject"), UpdateProjectRequest.getDefaultInstance(), null, "c"))).isEqualTo(LOCAL);
    assertThat(handled).hasValue(1);
  }

  @Test
  void aCallerTheGuardRefusesIsNotForwarded() {
    Dispatcher d = new Dispatcher(guard(true));
    d.forwarder(recording(Future.succeededFuture(REMOTE)));
    Throwable err = d.dispatch(Transport.REST, method("UpdateProject"), UpdateProjectRequest.getDefaultInstance(), null, "c").cause();
    assertThat(err).isInstanceOf(ModuleException.class);
    assertThat(((ModuleException) err).code()).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    assertThat(forwarded).isEmpty();
    assertThat(handled).hasValue(0);
  }

  @Test
  void theOwnersFailureIsNormalizedLikeAHandlers() {
    Dispatcher d = new Dispatcher(guard(false));
    d.forwarder(recording(Future.failedFuture(new IllegalStateException("secret detail"))));
    Throwable err = d.dispatch(Transport.REST, method("UpdateProject"), UpdateProjectRequest.getDefaultInstance(), null, "c").cause();
    assertThat(((ModuleException) err).code()).isEqualTo(ModuleException.Code.INTERNAL);
    assertThat(err.getMessage()).doesNotContain("secret");
  }

  @Test
  void theLanguageIsResolvedOncePerCallForTheCallerOrTheRefusal() {
    List<String> asked = new ArrayList<>();
    Localizer counting = new Localizer() {
      @Override
      public Locale locale(Caller caller, String acceptLanguage) {
        asked.add((caller == null ? "header" : caller.userId()) + " " + acceptLanguage);
        return Locale.GERMAN;
      }

      @Override
      public ModuleException localize(ModuleException e, RpcMethod method, Locale locale) {
        asked.add("localize " + locale);
        return e;
      }
    };
    Dispatcher admitting = new Dispatcher(guard(false), CallObserver.NONE, CallTracer.NONE, counting);
    await(admitting.dispatch(Transport.REST, method("GetProject"), GetProjectRequest.getDefaultInstance(), "Bearer x", "c", "de"));
    assertThat(asked).containsExactly("alice de");

    asked.clear();
    Dispatcher refusing = new Dispatcher(guard(true), CallObserver.NONE, CallTracer.NONE, counting);
    Throwable err = refusing.dispatch(Transport.REST, method("GetProject"), GetProjectRequest.getDefaultInstance(), null, "c", "de").cause();
    assertThat(((ModuleException) err).code()).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    assertThat(asked).containsExactly("header de", "localize de");
  }

  @Test
  void dispatchAsGoesThroughAdmitAsAndNeverForwards() {
    Dispatcher d = new Dispatcher(guard(false));
    d.forwarder(recording(Future.succeededFuture(REMOTE)));
    Message out = await(d.dispatchAs(method("UpdateProject"), UpdateProjectRequest.getDefaultInstance(), BOB, "fed:B"));
    assertThat(out).isEqualTo(LOCAL);
    assertThat(handled).hasValue(1);
    assertThat(forwarded).isEmpty();
    assertThat(guarded).containsExactly("admitAs UpdateProject");
  }

  @Test
  void dispatchAsRefusedByTheGuardRunsNothing() {
    Dispatcher d = new Dispatcher(guard(true));
    Throwable err = d.dispatchAs(method("GetProject"), GetProjectRequest.getDefaultInstance(), BOB, "fed:B").cause();
    assertThat(((ModuleException) err).code()).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    assertThat(handled).hasValue(0);
  }

  @Test
  void theObserverHearsEveryCallsTransportAndCode_refusedForwardedAndPeerCallsToo() {
    List<String> heard = new ArrayList<>();
    CallObserver hearing = (method, transport, code, nanos) -> heard.add(method + " " + transport + " " + code);
    Dispatcher refusing = new Dispatcher(guard(true), hearing, CallTracer.NONE, Localizer.ENGLISH);
    refusing.dispatch(Transport.GRPC, method("GetProject"), GetProjectRequest.getDefaultInstance(), null, "c");
    Dispatcher d = new Dispatcher(guard(false), hearing, CallTracer.NONE, Localizer.ENGLISH);
    d.forwarder(recording(Future.succeededFuture(REMOTE)));
    await(d.dispatch(Transport.REST, method("UpdateProject"), UpdateProjectRequest.getDefaultInstance(), null, "c"));
    await(d.dispatchAs(method("GetProject"), GetProjectRequest.getDefaultInstance(), BOB, "fed:B"));

    assertThat(heard).containsExactly(
        "hearth.tenancy.v1.TenancyService/GetProject GRPC PERMISSION_DENIED",
        "hearth.tenancy.v1.TenancyService/UpdateProject REST null",
        "hearth.tenancy.v1.TenancyService/GetProject PEER null");
  }

  @Test
  void anObserverThatThrows_doesNotFailTheCall() {
    Dispatcher d = new Dispatcher(guard(false), (method, transport, code, nanos) -> {
      throw new IllegalStateException("broken metrics");
    }, CallTracer.NONE, Localizer.ENGLISH);
    assertThat(await(d.dispatch(Transport.REST, method("GetProject"), GetProjectRequest.getDefaultInstance(), null, "c")))
        .isEqualTo(LOCAL);
  }
}
