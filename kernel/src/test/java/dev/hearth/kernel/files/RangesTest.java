package dev.hearth.kernel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RangesTest {

  @Test
  void noHeader_isTheWholeContent() throws Exception {
    assertThat(Ranges.parse(null, 100)).isEqualTo(new Ranges.Range(0, 100, false));
  }

  @Test
  void boundedOpenAndSuffixRanges_areServedPartially() throws Exception {
    assertThat(Ranges.parse("bytes=10-19", 100)).isEqualTo(new Ranges.Range(10, 10, true));
    assertThat(Ranges.parse("bytes=90-", 100)).isEqualTo(new Ranges.Range(90, 10, true));
    assertThat(Ranges.parse("bytes=-5", 100)).isEqualTo(new Ranges.Range(95, 5, true));
    assertThat(Ranges.parse("bytes=50-1000", 100)).isEqualTo(new Ranges.Range(50, 50, true));
    assertThat(Ranges.parse("bytes=-500", 100)).isEqualTo(new Ranges.Range(0, 100, true));
  }

  @Test
  void rangesPastTheEnd_areUnsatisfiable() {
    assertThatThrownBy(() -> Ranges.parse("bytes=100-", 100)).isInstanceOf(Ranges.Unsatisfiable.class);
    assertThatThrownBy(() -> Ranges.parse("bytes=-0", 100)).isInstanceOf(Ranges.Unsatisfiable.class);
  }

  @Test
  void severalRangesOtherUnitsAndGarbage_areIgnored() throws Exception {
    Ranges.Range whole = new Ranges.Range(0, 100, false);
    assertThat(Ranges.parse("bytes=0-1,5-6", 100)).isEqualTo(whole);
    assertThat(Ranges.parse("items=0-1", 100)).isEqualTo(whole);
    assertThat(Ranges.parse("bytes=x-y", 100)).isEqualTo(whole);
    assertThat(Ranges.parse("bytes=20-10", 100)).isEqualTo(whole);
  }
}
