package dev.hearth.ops.bench.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

  @Test
  void deliveryLatency_isMeasuredToTheLastSubscriber_fromTheEventTs() {
    DeliveryLedger ledger = new DeliveryLedger(3);
    DeliveryLedger.Inbox a = ledger.inbox();
    DeliveryLedger.Inbox b = ledger.inbox();
    DeliveryLedger.Inbox c = ledger.inbox();
    ledger.sent(0, 900);
    ledger.answered(0, true, true);
    a.received(10, 0, 1_000, 1_500);
    c.received(10, 0, 1_000, 9_000); // the last one, though not the last to report
    b.received(10, 0, 1_000, 2_000);

    DeliveryLedger.Summary s = ledger.summarize(0, 1);

    assertThat(s.measured()).isEqualTo(1);
    assertThat(s.missedDeliveries()).isZero();
    assertThat(s.duplicates()).isZero();
    assertThat(s.commitToLast().getMaxValue()).isBetween(7_990L, 8_010L);
    assertThat(s.sendToLast().getMaxValue()).isBetween(8_090L, 8_110L);
  }

  @Test
  void aSubscriberThatMissesAMessage_countsAsMissed_andTheMessageHasNoLatency() {
    DeliveryLedger ledger = new DeliveryLedger(2);
    DeliveryLedger.Inbox a = ledger.inbox();
    DeliveryLedger.Inbox b = ledger.inbox();
    for (int m = 0; m < 3; m++) {
      ledger.answered(m, true, true);
      a.received(10 + m, m, 0, 100);
      if (m != 1) b.received(10 + m, m, 0, 100);
    }

    DeliveryLedger.Summary s = ledger.summarize(0, 3);

    assertThat(s.missedDeliveries()).isEqualTo(1);
    assertThat(s.incompleteMessages()).isEqualTo(1);
    assertThat(s.commitToLast().getTotalCount()).isEqualTo(2);
    assertThat(ledger.incomplete(0, 3)).isEqualTo(1);
  }

  @Test
  void aRepeatedSequence_isADuplicate_andDoesNotCountAsASecondCopy() {
    DeliveryLedger ledger = new DeliveryLedger(1);
    DeliveryLedger.Inbox a = ledger.inbox();
    ledger.answered(0, true, true);
    ledger.answered(1, true, true);
    a.received(5, 0, 0, 10);
    a.received(5, 0, 0, 20);
    a.received(7, 1, 0, 30);
    a.received(6, 0, 0, 40); // older than the last one seen: a replayed copy

    DeliveryLedger.Summary s = ledger.summarize(0, 2);

    assertThat(s.duplicates()).isEqualTo(2);
    assertThat(s.missedDeliveries()).isZero();
    assertThat(s.commitToLast().getTotalCount()).isEqualTo(2);
  }

  @Test
  void warmupAndFailedPosts_areLeftOut_andOtherEventsAreStrays() {
    DeliveryLedger ledger = new DeliveryLedger(1);
    DeliveryLedger.Inbox a = ledger.inbox();
    ledger.answered(0, false, true);
    ledger.answered(1, true, false);
    ledger.answered(2, true, true);
    a.received(1, -1, 0, 5); // member.joined, say
    a.received(2, 2, 0, 10);

    DeliveryLedger.Summary s = ledger.summarize(0, 3);

    assertThat(s.measured()).isEqualTo(1);
    assertThat(s.missedDeliveries()).isZero();
    assertThat(s.strays()).isEqualTo(1);
  }

  @Test
  void messagesBeyondOneChunk_areKeptApart() {
    DeliveryLedger ledger = new DeliveryLedger(1);
    DeliveryLedger.Inbox a = ledger.inbox();
    int far = 3 * 16_384 + 5;
    ledger.answered(far, true, true);
    a.received(1, far, 0, 10);
    assertThat(ledger.summarize(far, far + 1).missedDeliveries()).isZero();
    assertThat(ledger.summarize(0, 10).measured()).isZero();
  }
}
