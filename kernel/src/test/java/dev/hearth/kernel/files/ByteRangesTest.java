package dev.hearth.kernel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangesTest {

  @Test
  void noHeader_isTheWholeContent() throws Exception {
    assertThat(ByteRanges.parse(null, 100)).isEqualTo(new ByteRanges.Range(0, 100, false));
  }

  @Test
  void boundedOpenAndSuffixRanges_areServedPartially() throws Exception {
    assertThat(ByteRanges.parse("bytes=10-19", 100)).isEqualTo(new ByteRanges.Range(10, 10, true));
    assertThat(ByteRanges.parse("bytes=90-", 100)).isEqualTo(new ByteRanges.Range(90, 10, true));
    assertThat(ByteRanges.parse("bytes=-5", 100)).isEqualTo(new ByteRanges.Range(95, 5, true));
    assertThat(ByteRanges.parse("bytes=50-1000", 100)).isEqualTo(new ByteRanges.Range(50, 50, true));
    assertThat(ByteRanges.parse("bytes=-500", 100)).isEqualTo(new ByteRanges.Range(0, 100, true));
  }

  @Test
  void rangesPastTheEnd_areUnsatisfiable() {
    assertThatThrownBy(() -> ByteRanges.parse("bytes=100-", 100)).isInstanceOf(ByteRanges.Unsatisfiable.class);
    assertThatThrownBy(() -> ByteRanges.parse("bytes=-0", 100)).isInstanceOf(ByteRanges.Unsatisfiable.class);
  }

  @Test
  void severalRangesOtherUnitsAndGarbage_areIgnored() throws Exception {
    ByteRanges.Range whole = new ByteRanges.Range(0, 100, false);
    assertThat(ByteRanges.parse("bytes=0-1,5-6", 100)).isEqualTo(whole);
    assertThat(ByteRanges.parse("items=0-1", 100)).isEqualTo(whole);
    assertThat(ByteRanges.parse("bytes=x-y", 100)).isEqualTo(whole);
    assertThat(ByteRanges.parse("bytes=20-10", 100)).isEqualTo(whole);
  }
}
