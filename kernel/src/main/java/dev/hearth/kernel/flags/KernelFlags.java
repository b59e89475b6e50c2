package dev.hearth.kernel.flags;

import dev.hearth.kernel.identity.Identity;
import dev.hearth.module.store.Tx;
import java.util.Optional;

/** The kernel's own flags, declared when the node starts. */
public final class KernelFlags {

  /** Self sign-up without an invite code. */
  public static final String SIGNUP = "auth.signup";

  /** Notifications (email digests) may carry the message's text; off unless an org-admin allows it. */
  public static final String NOTIFICATION_TEXT = "notifications.text";

  private KernelFlags() {}

  public static void declare(FlagBook flags, Identity identity) {
    // The same switch as AdminService's registrations_open (one value, two ways to set it), so the
    // older setting and the flag can never disagree.
    flags.declare(new FlagBook.Declared(SIGNUP, FlagBook.KERNEL, true,
        "self sign-up without an invite code (AdminService settings: registrations_open)",
        new FlagBook.NodeValue() {
          @Override
          public Optional<Boolean> get() {
            return identity.registrationsOpen();
          }

          @Override
          public void set(Tx tx, Boolean value) {
            identity.registrationsOpen(tx, value);
          }
        }, true));
    flags.declare(new FlagBook.Declared(NOTIFICATION_TEXT, FlagBook.KERNEL, false,
        "notifications (email digests) include the message's text; without it they name only the channel, "
            + "who and when", null, false));
  }
}
