package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hearth call <full.Service>/<Method> --json ...}: calls any method the node offers by its
 * full name with a JSON request and prints the JSON answer. Exit 1 with {@code hearth: CODE: message}
 * for a gRPC error, 2 for a request that does not fit the method, 3 when the node cannot be reached.
 */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = {
      "Call a method of the node by its full name, e.g. hearth.tenancy.v1.TenancyService/CreateOrg,",
      "with a JSON request (protobuf JSON mapping); the answer is printed as JSON. 'hearth api' lists the methods."
    })
public final class CallCommand implements Callable<Integer> {

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;
  @Mixin Connection connection;

  @Parameters(index = "0", paramLabel = "SERVICE/METHOD", description = "Full service name, '/', method name.")
  String target;

  @Option(names = "--json", paramLabel = "JSON|@FILE|-",
      description = "The request as JSON: inline, @file, or - for stdin (default: an empty request).")
  String json;

  @Override
  public Integer call() {
    Map<String, String> env = parent.env();
    String trimmed = target.startsWith("/") ? target.substring(1) : target;
    int cut = trimmed.lastIndexOf('/') >= 0 ? trimmed.lastIndexOf('/') : trimmed.lastIndexOf('.');
    if (cut <= 0 || cut == trimmed.length() - 1) {
      throw new InvalidOptionException("SERVICE/METHOD",
          "'" + target + "' is not a method name like hearth.tenancy.v1.TenancyService/CreateOrg");
    }
    String service = trimmed.substring(0, cut);
    String method = trimmed.substring(cut + 1);
    try (ApiSession session = ApiSession.open(connection, env)) {
      MethodDescriptor m = session.schema().method(service, method).orElseThrow(() -> new InvalidOptionException(
          "SERVICE/METHOD", "the node at " + session.client().url() + " has no method " + service + "/" + method
              + " ('hearth api' lists them)"));
      DynamicMessage request = Requests.parse(Requests.readJson(json, System.in), m.getInputType(),
          session.schema().types(), Map.of());
      if (session.invoke(m, request, spec.commandLine().getOut())) {
        spec.commandLine().getErr().println("hearth: the answer says \"valid\": false");
        return ExitCodes.FAILURE;
      }
    }
    return ExitCodes.OK;
  }
}
