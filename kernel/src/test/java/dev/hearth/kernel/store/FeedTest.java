package dev.hearth.kernel.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.module.change.ChangeEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedTest {

  private static List<ChangeEvent> events(long from, long to) {
    List<ChangeEvent> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(new ChangeEvent(s, "st", "c", "k" + s, ChangeEvent.Op.DELETE, null, "a", 0));
    }
    return out;
  }

  private static List<Long> seqs(List<ChangeEvent> events) {
    return events.stream().map(ChangeEvent::sequence).toList();
  }

  @Test
  void givesTheEventsAfterAPosition_upToMax_andNullOnceTheyLeftTheWindow() {
    Feed feed = new Feed();
    feed.publish(events(1, 100));
    assertThat(seqs(feed.since(0, 5))).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(seqs(feed.since(97, 10))).containsExactly(98L, 99L, 100L);
    assertThat(feed.since(100, 10)).isEmpty();
    feed.publish(events(101, 100 + Feed.CAPACITY));
    long last = 100 + Feed.CAPACITY;
    assertThat(feed.since(99, 10)).as("sequence 100 is out of the window").isNull();
    assertThat(seqs(feed.since(100, 2))).containsExactly(101L, 102L);
    assertThat(seqs(feed.since(last - 2, 10))).containsExactly(last - 1, last);
  }

  @Test
  void aStoreOpenedWithALog_sendsEarlierPositionsToTheLog_beforeAnyWrite() {
    Feed feed = new Feed();
    feed.openedAt(6);
    assertThat(feed.since(4, 10)).as("events 5 and 6 are in the log only").isNull();
    assertThat(feed.since(6, 10)).isEmpty();
    feed.publish(events(7, 8));
    assertThat(seqs(feed.since(6, 10))).containsExactly(7L, 8L);
    assertThat(feed.since(5, 10)).isNull();
  }

  @Test
  void aFeedStartingMidLog_holdsFromItsFirstEvent() {
    Feed feed = new Feed();
    feed.publish(events(500, 510));
    assertThat(feed.since(400, 10)).isNull();
    assertThat(seqs(feed.since(499, 3))).containsExactly(500L, 501L, 502L);
  }
}
