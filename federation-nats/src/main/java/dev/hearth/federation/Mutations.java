package dev.hearth.federation;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.ForgedEnvelopeException;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.federation.v1.JoinSharedProjectResponse;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.LinkState;
import dev.hearth.federation.v1.MutationReply;
import dev.hearth.federation.v1.MutationRequest;
import dev.hearth.federation.v1.ShareRecord;
import dev.hearth.federation.v1.ShareState;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Ids;
import io.nats.client.Dispatcher;
import io.nats.client.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote users' writes. On a replica's node, {@link #forward} takes every write RPC whose project is
 * a replica here and sends it, sealed to the owner and signed, into this node's own mutation stream,
 * so it is durable before anyone answers; the caller waits for the owner's answer up to {@code
 * forwardTimeout}, else gets UNAVAILABLE while the write stays queued (until its {@code
 * requestExpiry}: an owner reading it later refuses it). On the owner's node, {@link
 * #execute} reads a peer's mutation stream and runs each request through the same guard and handler
 * as a local call, as a {@code FEDERATED} caller who needs a role in the project like anyone else,
 * then answers on the peer's reply subject. Answers are kept by request id, so a redelivered request
 * is answered again, not run again.
 */
final class Mutations {

  static final String JOIN = "federation/JoinSharedProject";
  private static final Logger log = LoggerFactory.getLogger(Mutations.class);

  private final Federation fed;
  private final Collection<MutationReply> done;

  Mutations(Federation fed) {
    this.fed = fed;
    this.done = fed.book.store().collection(CollectionSpec.of("federation.done", Codec.of(MutationReply.parser())));
  }

  /** The dispatcher's hook: null when the call is not about a replica here (it runs locally). */
  Future<Message> forward(RpcMethod method, Message request, Caller caller) {
    String project = method.scopeOf(request);
    if (project.isEmpty() || !fed.book.isReplica(project)) return null;
    LinkRecord link = fed.book.replicaLinkOf(project).orElseThrow(() -> ModuleException.failedPrecondition(
        "project " + project + " is a read-only copy: the link to the node that owns it was removed"));
    return send(link, project, method.fullName(), request.toByteString(), caller)
        .map(bytes -> parse(method, bytes));
  }

  private static Message parse(RpcMethod method, ByteString bytes) {
    try {
      return DynamicMessage.parseFrom(method.descriptor().getOutputType(), bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "the owner's answer does not decode");
    }
  }

  /** Sends a request to the link's peer (the owner) and waits for its answer. */
  Future<ByteString> send(LinkRecord link, String project, String method, ByteString request, Caller caller) {
    if (link.getState() == LinkState.PAUSED) {
      return Future.failedFuture(new ModuleException(ModuleException.Code.UNAVAILABLE,
          "the link to " + link.getPeerOrgName() + " is paused; writes to its projects wait until it resumes"));
    }
    String id = Ids.next();
    MutationRequest r = MutationRequest.newBuilder().setRequestId(id).setMethod(method).setRequest(request)
        .setUserId(caller.userId()).setLabel(label(link, caller.userId()))
        .setExpiresAt(fed.node.clock().millis() + fed.options.requestExpiry().toMillis()).build();
    EnvelopeHeader h = EnvelopeHeader.newBuilder().setKind(EnvelopeHeader.Kind.MUTATION).setOrigin(fed.nodeId)
        .setScope(project).build();
    byte[] body = Envelopes.sealTo(h, r.toByteArray(), fed.book.peerKeys(link), fed.keys).toByteArray();
    Promise<ByteString> answer = Promise.promise();
    // Listen before publishing: the owner may answer at once.
    Dispatcher d = fed.nc().createDispatcher();
    d.subscribe(Streams.replySubject(fed.nodeId, id), msg -> {
      try {
        MutationReply reply = openReply(link, msg.getData(), id);
        if (reply.getErrorCode().isEmpty()) answer.tryComplete(reply.getResponse());
        else answer.tryFail(new ModuleException(code(reply.getErrorCode()), reply.getMessage()));
      } catch (ForgedEnvelopeException | InvalidProtocolBufferException e) {
        log.warn("rejected a reply on {} from link {}: {}", msg.getSubject(), link.getId(), e.getMessage());
        fed.rejected.incrementAndGet();
      }
    });
    Future<ByteString> result = fed.node.vertx().<Void>executeBlocking(() -> {
      fed.publish(Streams.mutSubject(fed.nodeId, link.getPeerNodeId()), body, id);
      return null;
    }, false).compose(v -> answer.future().timeout(fed.options.forwardTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(err instanceof ModuleException ? err : new ModuleException(
            ModuleException.Code.UNAVAILABLE, "the node of " + link.getPeerOrgName() + ", which owns project " + project
                + ", did not answer within " + fed.options.forwardTimeout().toSeconds() + " s; the write is queued as "
                + id + " and is applied if that node is back within " + fed.options.requestExpiry().toHours()
                + " h (federation.requestExpiryHours); after that it is refused"))));
    return result.onComplete(x -> d.unsubscribe(Streams.replySubject(fed.nodeId, id)));
  }

  /**
   * The answer this node, as the owner, gave to request {@code requestId} of {@code peerNodeId}, once it
   * has run or refused it; empty before. Kept until the node's data is deleted.
   */
  Optional<MutationReply> answered(String peerNodeId, String requestId) {
    return done.get(peerNodeId + "/" + requestId);
  }

  private MutationReply openReply(LinkRecord link, byte[] data, String id)
      throws ForgedEnvelopeException, InvalidProtocolBufferException {
    Envelopes.Opened o = Envelopes.openFrom(Envelope.parseFrom(data), fed.book.peerKeys(link), fed.keys);
    MutationReply reply = MutationReply.parseFrom(o.payload());
    if (o.header().getKind() != EnvelopeHeader.Kind.REPLY || !o.header().getOrigin().equals(link.getPeerNodeId())
        || !reply.getRequestId().equals(id)) {
      throw new ForgedEnvelopeException(ForgedEnvelopeException.Reason.MALFORMED, "not the answer to " + id);
    }
    return reply;
  }

  /** How a user of this node shows on other nodes: display name @ the linked org's name. */
  private String label(LinkRecord link, String userId) {
    String name = fed.node.displayName(userId).orElse(userId);
    String org = fed.node.orgName(link.getOrgId()).orElse(link.getOrgId());
    return name + "@" + org;
  }

  /** Owner: runs one request from the link's peer. On its {@link PeerPull}'s thread. */
  PeerPull.Verdict execute(String linkId, io.nats.client.Message m) throws Exception {
    LinkRecord link = fed.book.get(linkId).orElse(null);
    if (link == null || link.getState() == LinkState.REMOVED) return PeerPull.Verdict.TERM;
    if (link.getState() != LinkState.ACTIVE) return PeerPull.Verdict.RETRY;
    MutationRequest r;
    String project;
    try {
      Envelopes.Opened o = Envelopes.openFrom(Envelope.parseFrom(m.getData()), fed.book.peerKeys(link), fed.keys);
      if (o.header().getKind() != EnvelopeHeader.Kind.MUTATION || !o.header().getOrigin().equals(link.getPeerNodeId())) {
        throw new ForgedEnvelopeException(ForgedEnvelopeException.Reason.MALFORMED, "not a mutation request from the link's peer");
      }
      r = MutationRequest.parseFrom(o.payload());
      project = o.header().getScope();
    } catch (ForgedEnvelopeException | InvalidProtocolBufferException e) {
      fed.reject("mutation", link, m, e.getMessage());
      return PeerPull.Verdict.TERM;
    }
    String key = link.getPeerNodeId() + "/" + r.getRequestId();
    Optional<MutationReply> earlier = done.get(key);
    if (earlier.isPresent()) {
      reply(link, earlier.get());
      return PeerPull.Verdict.ACK;
    }
    MutationReply.Builder reply = MutationReply.newBuilder().setRequestId(r.getRequestId());
    try {
      if (r.getExpiresAt() < fed.node.clock().millis()) {
        throw ModuleException.failedPrecondition("the write expired before the owner's node got it");
      }
      ByteString response = run(link, project, r);
      reply.setResponse(response);
    } catch (ModuleException e) {
      if (e.code() == ModuleException.Code.UNAVAILABLE) return PeerPull.Verdict.RETRY; // e.g. the module is restarting
      reply.setErrorCode(e.code().name()).setMessage(e.getMessage());
    }
    MutationReply answer = reply.build();
    Federation.await(fed.book.store().write("fed:" + link.getPeerNodeId(), tx -> {
      tx.put(done, key, answer);
      return null;
    }));
    reply(link, answer);
    return PeerPull.Verdict.ACK;
  }

  private ByteString run(LinkRecord link, String project, MutationRequest r) {
    Caller caller = new Caller(r.getUserId(), false, null, Caller.Via.FEDERATED);
    if (r.getMethod().equals(JOIN)) {
      var m = Federation.await(fed.node.redeemForRemote(r.getUserId(), r.getLabel(), r.getRequest().toStringUtf8(),
          p -> sharedWith(link, p)));
      return JoinSharedProjectResponse.newBuilder().setProjectId(m.getProjectId()).setRole(m.getRole())
          .setOwnerOrgName(fed.node.orgName(link.getOrgId()).orElse("")).build().toByteString();
    }
    // Extensions start before modules: while the node starts, a module's method is not served yet, and
    // the request waits (UNAVAILABLE: redelivered) instead of being refused for good.
    RpcMethod method = fed.node.method(r.getMethod()).orElseThrow(() -> fed.node.ready()
        ? ModuleException.failedPrecondition(r.getMethod() + " is not served by the owner's node")
        : new ModuleException(ModuleException.Code.UNAVAILABLE, "the owner's node is starting"));
    Message request;
    try {
      request = method.requestPrototype().getParserForType().parseFrom(r.getRequest());
    } catch (InvalidProtocolBufferException e) {
      throw ModuleException.invalidArgument("the request does not decode as " + method.fullName());
    }
    String scope = method.scopeOf(request);
    if (!scope.equals(project) || !sharedWith(link, project)) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
          "project " + scope + " is not shared with " + link.getPeerOrgName());
    }
    byte[] out = Federation.await(fed.node.dispatchAs(r.getMethod(), r.getRequest().toByteArray(), caller,
        "fed:" + link.getPeerNodeId()));
    return ByteString.copyFrom(out);
  }

  /**
   * Whether the peer may write {@code project}: owned here and offered to it, not withdrawn. An
   * OFFERED share counts: the peer forwards only once it accepted, and its acceptance travels on the
   * control stream, which may be read after this request.
   */
  private static boolean sharedWith(LinkRecord link, String project) {
    Optional<ShareRecord> s = LinkBook.share(link, project);
    return s.isPresent() && s.get().getOwnedHere() && s.get().getState() != ShareState.DETACHED;
  }

  private void reply(LinkRecord link, MutationReply reply) {
    EnvelopeHeader h = EnvelopeHeader.newBuilder().setKind(EnvelopeHeader.Kind.REPLY).setOrigin(fed.nodeId).build();
    Envelope e = Envelopes.sealTo(h, reply.toByteArray(), fed.book.peerKeys(link), fed.keys);
    // Core NATS: whoever waits gets it now; a caller who gave up has its answer in the replica anyway.
    fed.nc().publish(Streams.replySubject(link.getPeerNodeId(), reply.getRequestId()), e.toByteArray());
  }

  private static ModuleException.Code code(String name) {
    try {
      return ModuleException.Code.valueOf(name);
    } catch (IllegalArgumentException e) {
      return ModuleException.Code.INTERNAL;
    }
  }
}
