package dev.hearth.kernel.bots;

import dev.hearth.kernel.errors.ApiErrors;
import dev.hearth.kernel.identity.HookTarget;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.json.JsonIntake;
import dev.hearth.module.ModuleException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /hooks/<secret>}: an incoming webhook (docs/bots.md). The URL is the credential, so
 * before any body is read the request passes a per-address budget of unknown secrets (guessing
 * costs a 429 early), the secret is looked up by its hash (unknown or revoked: 404, nothing
 * written) and the hook's own rate limit is drawn (429 with Retry-After). Only then is the body
 * read (bounded), parsed strictly, turned into text and an Adaptive Card, and posted through chat's
 * PostMessage as the hook's bot.
 */
public final class IncomingHookRoute {

  public static final String PATH = "/hooks/:secret";
  /** A Slack payload with a few attachments is a few KiB; Slack itself stops well below this. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  /** Unknown secrets per client address per minute. */
  static final int MISSES_PER_ADDRESS = 30;
  private static final int MAX_BUCKETS = 100_000;
  private static final String TARGET = "hearth.hookTarget";

  private final Identity identity;
  private final ChatCalls chat;
  private final int perHookPerMinute;
  private final Map<String, Bucket> hooks = new ConcurrentHashMap<>();
  private final Map<String, Bucket> misses = new ConcurrentHashMap<>();

  private IncomingHookRoute(Identity identity, ChatCalls chat, int perHookPerMinute) {
    this.identity = identity;
    this.chat = chat;
    this.perHookPerMinute = perHookPerMinute;
  }

  public static void mount(Router router, Identity identity, ChatCalls chat, int perHookPerMinute) {
    IncomingHookRoute r = new IncomingHookRoute(identity, chat, perHookPerMinute);
    router.post(PATH).handler(r::admit);
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post(PATH).handler(r::post);
  }

  private void admit(RoutingContext ctx) {
    ctx.response().putHeader("cache-control", "no-store");
    String address = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
    Bucket guesses = misses.get(address);
    if (guesses != null && guesses.getAvailableTokens() <= 0) {
      refuse(ctx, 429, seconds(guesses.estimateAbilityToConsume(1).getNanosToWaitForRefill()),
          "too many requests with unknown hook URLs from this address");
      return;
    }
    Optional<HookTarget> target = identity.incomingHook(ctx.pathParam("secret"));
    if (target.isEmpty()) {
      sweepIfLarge(misses);
      misses.computeIfAbsent(address, a -> bucket(MISSES_PER_ADDRESS)).tryConsume(1);
      ApiErrors.write(ctx, 404, "NOT_FOUND", "no such incoming webhook");
      return;
    }
    sweepIfLarge(hooks);
    ConsumptionProbe p = hooks.computeIfAbsent(target.get().hookId(), h -> bucket(perHookPerMinute))
        .tryConsumeAndReturnRemaining(1);
    if (!p.isConsumed()) {
      refuse(ctx, 429, seconds(p.getNanosToWaitForRefill()), "this hook posts at most " + perHookPerMinute + " messages a minute");
      return;
    }
    ctx.put(TARGET, target.get());
    ctx.next();
  }

  private void post(RoutingContext ctx) {
    HookTarget target = ctx.get(TARGET);
    HookPayload payload;
    try {
      JsonObject body = JsonIntake.object(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), "body");
      payload = HookPayload.of(body);
    } catch (ModuleException e) {
      write(ctx, e);
      return;
    }
    chat.post(target.bot(), target.projectId(), target.channelId(), payload.text(), payload.cardJson()).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end("ok");
      } else if (ar.cause() instanceof ModuleException e) {
        write(ctx, e);
      } else {
        ApiErrors.write(ctx, 500, "INTERNAL", "internal error; details are in the node's log");
      }
    });
  }

  /** The payload's own field names (Slack's snake_case) are kept: they are what the sender wrote. */
  private static void write(RoutingContext ctx, ModuleException e) {
    String retry = e.details().get("retryAfterSeconds");
    if (retry != null) ctx.response().putHeader("Retry-After", retry);
    JsonObject details = new JsonObject();
    e.details().forEach(details::put);
    ApiErrors.write(ctx, ApiErrors.status(e.code()), e.code().name(), e.getMessage(), details);
  }

  private static void refuse(RoutingContext ctx, int status, long seconds, String message) {
    ctx.response().putHeader("Retry-After", Long.toString(seconds));
    ApiErrors.write(ctx, status, "RESOURCE_EXHAUSTED", message + "; retry in " + seconds + " s",
        new JsonObject().put("retryAfterSeconds", Long.toString(seconds)));
  }

  private static long seconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  private static Bucket bucket(int perMinute) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
        .build();
  }

  /** Full buckets remember nothing: dropped when the map grows, so guessing cannot grow it without bound. */
  private void sweepIfLarge(Map<String, Bucket> map) {
    if (map.size() < MAX_BUCKETS) return;
    int full = map == hooks ? perHookPerMinute : MISSES_PER_ADDRESS;
    map.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= full);
    if (map.size() >= MAX_BUCKETS) map.clear();
  }
}
