package dev.hearth.cli;

import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import dev.hearth.cli.base.PasswordInput;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hearth admin}: node administration that needs local access to the node's machine. */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "Administer the node running on this machine (through <data>/run/).",
      "Day-to-day admin calls (users, settings, audit) are API commands: see 'hearth admin-service --help'."
    },
    subcommands = {AdminCommand.CreateSysAdmin.class})
public final class AdminCommand implements Callable<Integer> {

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(
      name = "create-sysadmin",
      mixinStandardHelpOptions = true,
      description = {
        "Make a sys-admin: create the account, or promote an existing one (its password is kept).",
        "There is no default admin password: this command, run by someone who can read the node's",
        "run files, is how the first sys-admin comes to be. Prints {email, created, sysAdmin} (JSON)."
      })
  static final class CreateSysAdmin implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Spec CommandSpec spec;
    @Mixin NodeLocation location;

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The account's email.")
    String email;

    @Option(names = "--password-stdin",
        description = "Read the password from the first line of stdin (else HEARTH_PASSWORD, else a prompt).")
    boolean passwordStdin;

    @Override
    public Integer call() {
      Map<String, String> env = admin.parent.env();
      String password = PasswordInput.read(passwordStdin, env, email);
      NodeClient node = NodeClient.connect(location.dataDir(env));
      String body = node.send("POST", "/admin/v1/sysadmin", new JsonObject().put("email", email).put("password", password));
      spec.commandLine().getOut().println(new JsonObject(body).encodePrettily());
      return ExitCodes.OK;
    }
  }
}
