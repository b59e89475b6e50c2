package dev.hearth.kernel.tenancy;

import dev.hearth.bots.v1.BotsProto;
import dev.hearth.kernel.config.SsoOptions;
import dev.hearth.kernel.identity.AvatarFiles;
import dev.hearth.kernel.identity.ChannelJoiner;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.InviteCodes;
import dev.hearth.kernel.identity.OrgSignIns;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.store.Tx;
import dev.hearth.tenancy.v1.Membership;
import dev.hearth.tenancy.v1.TenancyProto;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Tenancy of a node, made of identity's parts: orgs, projects, memberships, invites, orgs' own
 * sign-in providers with their claim mappings, and bots; the bindings of TenancyService and
 * BotsService. It hands identity what identity needs of it ({@link #inviteCodes()},
 * {@link #orgSignIns()}) and admin what admin changes ({@link #memberships()}).
 */
public final class Tenancy {

  private final IdentityStore ids;
  private final Identity identity;
  private final Clock clock;
  private final Memberships memberships;
  private final Invites invites;
  private final OrgProviders orgProviders;

  /** @param sso the node's single sign-on options (orgs' providers need its public address) */
  public Tenancy(Vertx vertx, Identity identity, SsoOptions sso) {
    this.identity = identity;
    this.ids = identity.store();
    this.clock = identity.clock();
    this.memberships = new Memberships(ids, clock);
    this.invites = new Invites(ids, memberships, identity.authorization(), clock);
    this.orgProviders = new OrgProviders(vertx, ids, clock, sso, new ClaimMapping(ids, memberships));
  }

  /**
   * The services of TenancyService and BotsService, made with what they need of the parts the node
   * assembles after tenancy.
   *
   * @param avatars the files behind bots' pictures
   * @param channels how an incoming webhook's bot joins its channel (chat's AddMembers, run by the node)
   * @param projectRecords what other parts keep of a project (its slash commands), removed in the
   *     transaction that deletes it (DeleteProject, and DeleteOrg per project); what they keep of a user
   *     goes by identity's {@code Deletions}
   */
  public List<ServiceBinding> bindings(AvatarFiles avatars, ChannelJoiner channels, BiConsumer<Tx, String> projectRecords) {
    BotsApi bots = new BotsApi(ids, memberships, clock, avatars, channels);
    return List.of(
        Bindings.tenancy(TenancyProto.getDescriptor().findServiceByName("TenancyService"),
            new TenancyApi(ids, memberships, identity.authorization(), bots, clock, orgProviders, projectRecords),
            invites, orgProviders),
        Bindings.bots(BotsProto.getDescriptor().findServiceByName("BotsService"), bots));
  }

  /** The invite codes a sign-up may carry (AuthService's SignUp). */
  public InviteCodes inviteCodes() {
    return invites;
  }

  /** Orgs' own sign-in providers and their claim mappings (AuthService's single sign-on). */
  public OrgSignIns orgSignIns() {
    return orgProviders;
  }

  /** Who belongs to which org and project. */
  public Memberships memberships() {
    return memberships;
  }

  /**
   * Redeems a project invite code for a user of a linked node (no account here): grants the invite's
   * role in its project, with the membership's label set to {@code label} (e.g. "bob@globex"), in the
   * project's scope. Refuses org invites (INVALID_ARGUMENT "code": "only a project invite can be
   * redeemed from another node"), projects for which {@code allowed.test(projectId)} is false
   * (PERMISSION_DENIED "project <id> is not shared with your node"), and bad/expired/used codes like
   * RedeemInvite does. A user id that has an account on this node is refused (PERMISSION_DENIED): a
   * node speaks only for its own users.
   *
   * @param allowed which projects the asking node may join its users to (those shared with it)
   * @return the membership, its display name the label; failed with a {@link ModuleException}
   */
  public Future<Membership> redeemForRemote(String remoteUserId, String label, String code,
      Predicate<String> allowed) {
    try {
      return invites.redeemForRemote(remoteUserId, label, code, allowed);
    } catch (ModuleException e) {
      return Future.failedFuture(e);
    }
  }
}
