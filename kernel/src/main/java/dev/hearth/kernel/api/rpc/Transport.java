package dev.hearth.kernel.api.rpc;

/** How a call reached the {@link Dispatcher}; the {@code transport} label of the RPC metrics. */
public enum Transport {
  /** gRPC or gRPC-Web ({@link GrpcTransport}). */
  GRPC("grpc"),
  /** REST/JSON ({@link RestTransport}). */
  REST("rest"),
  /** A linked node's signed request, run here by {@link Dispatcher#dispatchAs}. */
  PEER("peer");

  private final String label;

  Transport(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
