package dev.hearth.kernel.notifications;

import com.google.crypto.tink.subtle.EllipticCurves;
import com.google.crypto.tink.subtle.EllipticCurves.CurveType;
import com.google.crypto.tink.subtle.EllipticCurves.PointFormatType;
import dev.hearth.kernel.webhooks.AddressPolicy;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.module.store.Entry;
import dev.hearth.notifications.v1.GetPushKeyRequest;
import dev.hearth.notifications.v1.ListNoticesRequest;
import dev.hearth.notifications.v1.MarkNoticesReadRequest;
import dev.hearth.notifications.v1.MarkNoticesReadResponse;
import dev.hearth.notifications.v1.NoticeList;
import dev.hearth.notifications.v1.UserNotice;
import io.vertx.core.json.JsonObject;
import java.util.List;
import dev.hearth.notifications.v1.ListPushDevicesRequest;
import dev.hearth.notifications.v1.NotificationsProto;
import dev.hearth.notifications.v1.PushDevice;
import dev.hearth.notifications.v1.PushDeviceList;
import dev.hearth.notifications.v1.PushKey;
import dev.hearth.notifications.v1.RegisterPushDeviceRequest;
import dev.hearth.notifications.v1.UnregisterPushDeviceRequest;
import dev.hearth.notifications.v1.UnregisterPushDeviceResponse;
import io.vertx.core.Future;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * {@code hearth.notifications.v1.NotificationsService}: the caller's own in-app notices and push devices. Every call
 * takes the user from the caller, never from the request, so nobody reads or changes another's.
 */
final class NotificationsApi {

  private final PushBook devices;
  private final Supplier<PushBook.Vapid> vapid;
  private final AddressPolicy policy;
  private final Clock clock;
  private final Inbox inbox;
  private final Identity identity;

  /** @param vapid the node's key, null while Web Push is off */
  NotificationsApi(PushBook devices, Supplier<PushBook.Vapid> vapid, AddressPolicy policy, Clock clock, Inbox inbox,
      Identity identity) {
    this.inbox = inbox;
    this.identity = identity;
    this.devices = devices;
    this.vapid = vapid;
    this.policy = policy;
    this.clock = clock;
  }

  ServiceBinding binding() {
    return ServiceBinding.of(NotificationsProto.getDescriptor().findServiceByName("NotificationsService"))
        .unary("ListNotices", ListNoticesRequest.getDefaultInstance(), this::list)
        .unary("MarkNoticesRead", MarkNoticesReadRequest.getDefaultInstance(), (call, r) -> {
          if (!r.getAll() && r.getNoticeIdsCount() == 0) throw ModuleException.required("notice_ids");
          if (r.getNoticeIdsCount() > Inbox.KEEP) {
            throw ModuleException.badField("notice_ids", "at most " + Inbox.KEEP).localized("field.tooMany", "notice_ids", Inbox.KEEP);
          }
          return inbox.markRead(call.userId(), r.getNoticeIdsList(), r.getAll()).map(v ->
              MarkNoticesReadResponse.newBuilder().setUnreadCount(inbox.unread(call.userId())).build());
        })
        .unary("GetPushKey", GetPushKeyRequest.getDefaultInstance(), (call, r) ->
            Future.succeededFuture(PushKey.newBuilder().setVapidPublicKey(PushCrypto.b64url(key().publicKey())).build()))
        .unary("RegisterPushDevice", RegisterPushDeviceRequest.getDefaultInstance(), this::register)
        .unary("ListPushDevices", ListPushDevicesRequest.getDefaultInstance(), (call, r) -> {
          PushDeviceList.Builder b = PushDeviceList.newBuilder();
          devices.devices(call.userId()).forEach(d -> b.addDevices(view(d)));
          return Future.succeededFuture(b.build());
        })
        .unary("UnregisterPushDevice", UnregisterPushDeviceRequest.getDefaultInstance(), (call, r) -> {
          if (r.getDeviceId().isEmpty()) throw ModuleException.required("device_id");
          return devices.remove(call.userId(), r.getDeviceId()).map(found -> {
            if (!found) throw ModuleException.notFound("no push device " + r.getDeviceId());
            return UnregisterPushDeviceResponse.getDefaultInstance();
          });
        })
        .build();
  }

  private Future<NoticeList> list(Call call, ListNoticesRequest r) {
    if (r.getPageSize() < 0 || r.getPageSize() > 100) {
      throw ModuleException.badField("page_size", "must be between 0 and 100").localized("field.range", "page_size", 0, 100);
    }
    if (r.getPageToken().contains("/")) throw ModuleException.badField("page_token", "is not a page token of this list");
    int size = r.getPageSize() == 0 ? 20 : r.getPageSize();
    List<Entry<String>> page = inbox.page(call.userId(), r.getPageToken(), size + 1);
    NoticeList.Builder b = NoticeList.newBuilder().setUnreadCount(inbox.unread(call.userId()));
    for (int i = 0; i < Math.min(size, page.size()); i++) b.addNotices(view(page.get(i)));
    if (page.size() > size) b.setNextPageToken(page.get(size - 1).key().split("/", 2)[1]);
    return Future.succeededFuture(b.build());
  }

  private UserNotice view(Entry<String> e) {
    JsonObject j = new JsonObject(e.value());
    Notice n = Notice.fromJson(j);
    return UserNotice.newBuilder().setNoticeId(e.key().split("/", 2)[1]).setKind(n.kind()).setModule(n.module())
        .setProjectId(n.projectId()).setProjectName(identity.projectName(n.projectId()).orElse(""))
        .setChannelId(n.channelId()).setChannelName(n.channelName()).setAuthorId(n.authorId())
        .setAuthorName(identity.displayName(n.authorId()).orElse("")).setMessageId(n.messageId())
        .setAtMillis(n.atMillis()).setText(n.text()).setRead(j.getBoolean("read", false)).build();
  }

  private PushBook.Vapid key() {
    PushBook.Vapid k = vapid.get();
    if (k == null) {
      throw ModuleException.failedPrecondition("this node does not send Web Push (notifications.push.enabled)");
    }
    return k;
  }

  private Future<PushDevice> register(Call call, RegisterPushDeviceRequest r) {
    key();
    if (r.getEndpoint().isBlank()) throw ModuleException.required("endpoint");
    // Push services are https; plain http only where the node may reach internal addresses (tests).
    String endpoint = policy.checkUrl("endpoint", r.getEndpoint(), policy.allowsPrivate());
    String p256dh = checkKey("p256dh", r.getP256Dh(), 65);
    String auth = checkKey("auth", r.getAuth(), 16);
    if (r.getLabel().length() > 100) {
      throw ModuleException.badField("label", "must have at most 100 characters").localized("field.tooLong", "label", 100);
    }
    PushBook.Device d = new PushBook.Device(call.userId(), PushBook.deviceId(endpoint), endpoint, p256dh, auth,
        r.getLabel().strip(), clock.millis());
    return devices.put(d).map(stored -> {
      if (!stored) {
        throw ModuleException.badField("endpoint", "at most " + PushBook.MAX_DEVICES + " push devices per user")
            .localized("field.tooMany", "endpoint", PushBook.MAX_DEVICES);
      }
      return view(d);
    });
  }

  /** The key as unpadded base64url, checked: {@code bytes} long, and for p256dh a point on P-256. */
  private static String checkKey(String field, String value, int bytes) {
    if (value.isEmpty()) throw ModuleException.required(field);
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(value.strip().replace('+', '-').replace('/', '_').replace("=", ""));
    } catch (IllegalArgumentException e) {
      throw ModuleException.badField(field, "is not base64url");
    }
    if (raw.length != bytes) throw ModuleException.badField(field, "must be " + bytes + " bytes, base64url");
    if (field.equals("p256dh")) {
      try {
        EllipticCurves.getEcPublicKey(CurveType.NIST_P256, PointFormatType.UNCOMPRESSED, raw);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw ModuleException.badField(field, "is not an uncompressed P-256 public key");
      }
    }
    return PushCrypto.b64url(raw);
  }

  private static PushDevice view(PushBook.Device d) {
    return PushDevice.newBuilder().setDeviceId(d.id()).setLabel(d.label()).setPushService(URI.create(d.endpoint()).getHost())
        .setCreatedAtMillis(d.createdAtMillis()).build();
  }
}
