package dev.hearth.kernel.seed;

import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import dev.hearth.seed.v1.DeleteSetRequest;
import dev.hearth.seed.v1.DeleteSetResponse;
import dev.hearth.seed.v1.GetSetRequest;
import dev.hearth.seed.v1.ListSetsRequest;
import dev.hearth.seed.v1.ListSetsResponse;
import dev.hearth.seed.v1.SeedProto;
import dev.hearth.seed.v1.SeedSet;
import io.vertx.core.Future;
import java.util.regex.Pattern;

/**
 * {@code hearth.seed.v1.SeedService}: the ledger of seed sets in the kernel store
 * ({@code seed.sets}, keyed by name), so {@code hearth seed list|remove} work against a running
 * node. Creating and deleting the seeded data is the client's work, through the public API.
 */
public final class SeedSetsApi {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final Store store;
  private final Collection<SeedSet> sets;

  public SeedSetsApi(Store kernelStore) {
    this.store = kernelStore;
    this.sets = kernelStore.collection(CollectionSpec.of("seed.sets", Codec.of(SeedSet.parser())));
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(SeedProto.getDescriptor().findServiceByName("SeedService"))
        .unary("PutSet", SeedSet.getDefaultInstance(), this::put)
        .unary("ListSets", ListSetsRequest.getDefaultInstance(), this::list)
        .unary("GetSet", GetSetRequest.getDefaultInstance(), this::get)
        .unary("DeleteSet", DeleteSetRequest.getDefaultInstance(), this::delete)
        .build();
  }

  private Future<SeedSet> put(Call call, SeedSet req) {
    name(req.getName());
    SeedSet stored = req.toBuilder().setCreatedAtMicros(System.currentTimeMillis() * 1000)
        .setCreatedBy(call.caller().userId()).build();
    return store.write(call.caller().userId(), tx -> {
      if (tx.get(sets, req.getName()).isPresent()) {
        throw new ModuleException(ModuleException.Code.ALREADY_EXISTS, "a seed set named '" + req.getName()
            + "' exists; remove it first (hearth seed remove " + req.getName() + ")");
      }
      tx.put(sets, req.getName(), stored);
      return stored;
    });
  }

  private Future<ListSetsResponse> list(Call call, ListSetsRequest req) {
    ListSetsResponse.Builder b = ListSetsResponse.newBuilder();
    for (Entry<SeedSet> e : sets.scan("", "\uffff", 10_000, false)) b.addSets(e.value());
    return Future.succeededFuture(b.build());
  }

  private Future<SeedSet> get(Call call, GetSetRequest req) {
    return Future.succeededFuture(sets.get(name(req.getName()))
        .orElseThrow(() -> ModuleException.notFound("there is no seed set '" + req.getName() + "'")));
  }

  private Future<DeleteSetResponse> delete(Call call, DeleteSetRequest req) {
    String name = name(req.getName());
    return store.write(call.caller().userId(), tx -> {
      if (tx.get(sets, name).isEmpty()) throw ModuleException.notFound("there is no seed set '" + name + "'");
      tx.delete(sets, name);
      return DeleteSetResponse.getDefaultInstance();
    });
  }

  private static String name(String name) {
    if (!NAME.matcher(name).matches()) {
      throw ModuleException.badField("name", "must match " + NAME.pattern() + ", was '" + name + "'");
    }
    return name;
  }
}
