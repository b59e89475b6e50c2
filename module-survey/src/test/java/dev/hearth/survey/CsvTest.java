package dev.hearth.survey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void plainFields_stayAsTheyAre_andRowsEndInCrLf() {
    assertThat(new Csv().row("a", "b c", "").row("1").toString()).isEqualTo("a,b c,\r\n1\r\n");
  }

  @Test
  void commasQuotesAndLineBreaks_areQuoted_withQuotesDoubled() {
    assertThat(Csv.field("x,y")).isEqualTo("\"x,y\"");
    assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(Csv.field("cr\r")).isEqualTo("\"cr\r\"");
  }

  @Test
  void aFormulaLookingText_isDefused_butNegativeNumbersAreNot() {
    assertThat(Csv.field("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(Csv.field("@cmd")).isEqualTo("'@cmd");
    assertThat(Csv.field("-3.5")).isEqualTo("-3.5");
  }
}
