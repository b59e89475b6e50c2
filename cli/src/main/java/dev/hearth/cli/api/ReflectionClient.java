package dev.hearth.cli.api;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.cli.base.RpcException;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a node's services and their descriptors through gRPC server reflection v1
 * ({@code grpc.reflection.v1.ServerReflection/ServerReflectionInfo}): first {@code list_services}, then
 * {@code file_containing_symbol} for every service, each on its own stream of the one HTTP/2
 * connection; the answers carry each file with its transitive imports, which are then built
 * dependencies first. Nothing is generated ahead of time, so the CLI
 * always matches the node it talks to.
 */
public final class ReflectionClient {

  private static final ServiceMethod<ServerReflectionResponse, ServerReflectionRequest> INFO = ServiceMethod.client(
      ServiceName.create("grpc.reflection.v1.ServerReflection"), "ServerReflectionInfo",
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(ServerReflectionResponse.getDefaultInstance()));

  private ReflectionClient() {}

  /** Fetches the node's schema; the bearer is sent in case the node guards reflection. */
  public static Future<ApiSchema> fetch(ApiClient client, String bearer) {
    ServerReflectionRequest list = ServerReflectionRequest.newBuilder().setListServices("").build();
    return ask(client, list, bearer).compose(listed -> {
      List<String> names = listed.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
      // One stream per question: Vert.x's reflection service ends the stream after its first answer.
      List<Future<ServerReflectionResponse>> files = names.stream()
          .map(n -> ask(client, ServerReflectionRequest.newBuilder().setFileContainingSymbol(n).build(), bearer))
          .toList();
      return Future.all(files).map(all -> build(names, files.stream().map(Future::result).toList()));
    }).recover(e -> Future.failedFuture(e instanceof RpcException r && r.status() == GrpcStatus.UNIMPLEMENTED
        ? new CommandFailedException("the node at " + client.url() + " does not offer gRPC server reflection, "
            + "which the CLI needs to know its API")
        : e));
  }

  /** One question on its own stream; an error answer fails the whole fetch. */
  private static Future<ServerReflectionResponse> ask(ApiClient client, ServerReflectionRequest request, String bearer) {
    return client.unary(INFO, request, bearer).compose(r -> r.hasErrorResponse()
        ? Future.failedFuture(new CommandFailedException("server reflection of " + client.url() + " answered "
            + GrpcStatus.valueOf(r.getErrorResponse().getErrorCode()) + ": " + r.getErrorResponse().getErrorMessage()))
        : Future.succeededFuture(r));
  }

  private static ApiSchema build(List<String> serviceNames, List<ServerReflectionResponse> answers) {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    try {
      for (ServerReflectionResponse r : answers) {
        for (var bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
          FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
          protos.putIfAbsent(proto.getName(), proto);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new CommandFailedException("server reflection sent a descriptor that does not parse: " + e.getMessage(), e);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : protos.keySet()) buildFile(name, protos, built, new ArrayList<>());
    List<ServiceDescriptor> services = new ArrayList<>();
    for (String name : serviceNames) {
      built.values().stream().flatMap(f -> f.getServices().stream())
          .filter(s -> s.getFullName().equals(name)).findFirst().ifPresent(services::add);
    }
    return new ApiSchema(services, built.values());
  }

  /** Builds {@code name} after its imports; {@code path} catches an import cycle instead of recursing forever. */
  private static FileDescriptor buildFile(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built, List<String> path) {
    FileDescriptor done = built.get(name);
    if (done != null) return done;
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new CommandFailedException("server reflection did not send " + name + ", imported by " + path);
    }
    if (path.contains(name)) throw new CommandFailedException("import cycle in the node's descriptors: " + path);
    path.add(name);
    FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < deps.length; i++) deps[i] = buildFile(proto.getDependency(i), protos, built, path);
    path.remove(path.size() - 1);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new CommandFailedException("the node's descriptor " + name + " is invalid: " + e.getMessage(), e);
    }
  }
}
