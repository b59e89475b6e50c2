package dev.hearth.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.module.flags.FlagNames;
import dev.hearth.module.flags.Flags;
import dev.hearth.module.store.Ids;
import dev.hearth.module.ui.PageData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the SDK promises a module author in its javadoc, checked without a node. */
class SdkContractsTest {

  @Test
  void aModuleExceptionCarriesItsCodeDetailsAndKeyAndKeepsThemToItself() {
    Object[] args = {"name", 80};
    ModuleException e = ModuleException.badField("name", "too long").localized("field.tooLong", args);
    assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).isEqualTo("name: too long");
    assertThat(e.details()).containsExactly(Map.entry("field", "name"));
    assertThatThrownBy(() -> e.details().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    args[1] = 1;
    e.messageArgs()[0] = "changed";
    assertThat(e.messageArgs()).as("arguments are copied in and out").containsExactly("name", 80);
    assertThat(new ModuleException(ModuleException.Code.NOT_FOUND, "x").messageKey()).isNull();
    assertThat(new ModuleException(ModuleException.Code.NOT_FOUND, "x").messageArgs()).isEmpty();

    ModuleException required = ModuleException.required("channel_id");
    assertThat(required.getMessage()).isEqualTo("channel_id: is required");
    assertThat(required.messageKey()).isEqualTo("field.required");
    assertThat(required.details()).containsEntry("field", "channel_id");
    assertThatThrownBy(() -> new ModuleException(null, "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.localized(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void idsAreCanonicalUuidV7sThatSortByCreation() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) ids.add(Ids.next());
    assertThat(ids).doesNotHaveDuplicates().isSorted();
    for (String id : ids.subList(0, 10)) {
      assertThat(UUID.fromString(id).version()).isEqualTo(7);
      assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }
  }

  @Test
  void flagNamesAndDefaults() {
    assertThat(FlagNames.check("message.edit")).isEqualTo("message.edit");
    assertThat(FlagNames.check("a.b-c.d_e.f1.g")).isEqualTo("a.b-c.d_e.f1.g");
    for (String bad : new String[] {null, "", "Message.edit", "1abc", "a..b", "a.b.c.d.e.f", "a b", "a".repeat(41)}) {
      assertThatThrownBy(() -> FlagNames.check(bad)).as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    Flags flags = Flags.defaults();
    flags.declare("reactions", true, "emoji reactions");
    flags.declare("threads", false, "replies in a thread");
    assertThat(flags.enabled("reactions", "any-project")).isTrue();
    assertThat(flags.enabled("threads", "any-project")).isFalse();
    assertThatThrownBy(() -> flags.declare("reactions", false, "again")).hasMessageContaining("declared twice");
    assertThatThrownBy(() -> flags.enabled("polls", "p")).hasMessageContaining("was not declared");
    Object owner = new Object();
    Flags.defaultsOf(owner).declare("x", true, "");
    assertThat(Flags.defaultsOf(owner).enabled("x", "p")).as("one owner, one set of flags").isTrue();
  }

  @Test
  void pageDataIsAnImmutableCheckedDescription() {
    PageData empty = PageData.of();
    PageData page = empty.param("channelId")
        .load("channel", "hearth.chat.v1.ChatService/GetChannel", "{\"channelId\": \"${params.channelId}\"}", "")
        .load("members", "hearth.tenancy.v1.TenancyService/ListProjectMembers", " ", null)
        .topic("chat/channel/${params.channelId}");
    assertThat(empty.sources()).as("builders return new descriptions").isEmpty();
    assertThat(page.params()).containsExactly("channelId");
    assertThat(page.sources()).extracting(PageData.Source::name).containsExactly("channel", "members");
    assertThat(page.sources().get(1).requestJson()).as("a blank request is {}").isEqualTo("{}");
    assertThat(page.sources().get(1).field()).isEmpty();
    assertThat(page.topics()).containsExactly("chat/channel/${params.channelId}");
    assertThatThrownBy(() -> page.sources().add(null)).isInstanceOf(UnsupportedOperationException.class);

    assertThatThrownBy(() -> page.load("channel", "a.B/C", "{}", "")).hasMessageContaining("loaded twice");
    assertThatThrownBy(() -> page.load("x", "NotAMethod", "{}", "")).hasMessageContaining("package.Service/Method");
    assertThatThrownBy(() -> page.load("bad name", "a.B/C", "{}", "")).hasMessageContaining("source name");
    assertThatThrownBy(() -> page.param("")).hasMessageContaining("param name");
    assertThatThrownBy(() -> page.topic(" ")).hasMessageContaining("topic is empty");
  }
}
